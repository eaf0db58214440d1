// Sums the self time of V8 CPU profiles (`node --cpu-prof --cpu-prof-dir=DIR ...`) by package:
// where a command's start-up goes. One column per profile file (one per thread: the main thread
// and each worker write their own), largest first.
//
//   npx tsx bench/cpu_profile_summary.ts DIR [--top 12]
//
// Buckets: `node_modules/<package>` by package name; `(gc)`, `(program)` (V8's own work: parsing,
// compiling, the runtime) and `(idle)` as V8 names them; `node:` for Node's own JS (module
// loader, fs, ...); the project's own files by their top folder (`grader/`, `lib/`, `dist/`).
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket a function's time goes to, from its script URL (see the file comment). */
export function bucketOf(node: ProfileNode, root: string): string {
  const { url, functionName } = node.callFrame;
  if (url === '') {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    return '(program)';
  }
  if (url.startsWith('node:')) return 'node:';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file.slice(file.lastIndexOf('node_modules/')));
  if (file.includes('node_modules/') && m) return m[1];
  const rel = path.relative(root, file);
  if (rel.startsWith('..')) return 'other';
  return rel.split(path.sep)[0] + '/';
}

/** Self milliseconds per bucket of one profile. */
export function summarise(profile: Profile, root: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const b = bucketOf(byId.get(id)!, root);
    out.set(b, (out.get(b) ?? 0) + profile.timeDeltas[i] / 1000);
  });
  return out;
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx bench/cpu_profile_summary.ts DIR [--top N]');
  const top = Number(process.argv[process.argv.indexOf('--top') + 1] ?? 12) || 12;
  const root = path.resolve(__dirname, '..');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  for (const f of files) {
    const sums = summarise(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Profile, root);
    const busy = [...sums].filter(([b]) => b !== '(idle)').reduce((a, [, ms]) => a + ms, 0);
    console.log(`${f}: ${(busy / 1000).toFixed(2)} s busy (idle ${((sums.get('(idle)') ?? 0) / 1000).toFixed(2)} s)`);
    for (const [b, ms] of [...sums].filter(([b]) => b !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${(ms / 1000).toFixed(2).padStart(6)} s  ${b}`);
    }
  }
}

if (require.main === module) main();
