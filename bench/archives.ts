// Archive benchmark: every archive kind of grader/fixtures/archive_fixtures.ts (eight tool
// layouts of the reference solutions, the hostile and broken archives) through
//   (1) the archive step alone: readSubmission(zip, exercise files) in a fresh process, with its
//       peak memory (VmHWM, the process's whole life: Node, tsx and the reader's modules are
//       about 200 MB of it, printed as `base`), CPU seconds and wall seconds, killed after --kill s;
//   (2) with --cli N, `clab-grade grade <zip> --json` N times (type-check on): exit codes, score.
// --root DIR reads with DIR's grader (e.g. a checkout of main, for the numbers before a change);
// the archives are always made by this checkout's fixtures.
// Run: npx tsx bench/archives.ts [--root DIR] [--cli 3] [--cli-timeout 300] [--kill 120] [--only REGEX] [--md FILE]
// (a killed CLI run shows exit code -1).
// The load average is printed with the numbers: timings on a shared machine are noisy; CPU
// seconds and memory much less so.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CRC_2GIB_ZEROS, deflated, EXERCISE_FILES, HOSTILE_ARCHIVES, rawZip, type RawEntry, TOOL_LAYOUTS, writeStudentRepo } from '../grader/fixtures/archive_fixtures';
import { PROJECT_ROOT } from '../grader/engine/project_root';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

/** The child: reads one archive with ROOT's readSubmission and prints what it cost. */
const CHILD = `
const [root, zip, files] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];
const { readSubmission } = require(root + '/grader/engine/read_submission.ts');
const base = process.memoryUsage().rss;
const c0 = process.cpuUsage(); const t0 = Date.now();
let outcome;
try {
  const s = readSubmission(zip, files);
  outcome = 'read ' + s.files.size + ' files' + (s.unread && s.unread.size ? ', not ' + [...s.unread.keys()].join(' ') : '') + (s.warnings.length ? ' (' + s.warnings.length + ' warnings)' : '');
} catch (e) { outcome = 'refused: ' + String(e.message).split('\\n')[0]; }
const c = process.cpuUsage(c0);
// VmHWM: this process image's peak resident memory (ru_maxrss would carry the parent's over exec).
const hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]);
process.stdout.write(JSON.stringify({ outcome, cpu: (c.user + c.system) / 1e6, wall: (Date.now() - t0) / 1000, base: base / 1048576, peak: hwm / 1024 }));
`;

interface Step {
  outcome: string;
  cpu: number | null;
  wall: number;
  peak: number | null;
  base: number | null;
}

function archiveStep(root: string, zip: string, killAfter: number): Step {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', CHILD, root, zip, JSON.stringify(EXERCISE_FILES)], {
    encoding: 'utf8', timeout: killAfter * 1000, killSignal: 'SIGKILL', maxBuffer: 1 << 20,
  });
  if (r.signal !== null || r.status !== 0) return { outcome: r.signal ? `killed after ${killAfter} s` : `crashed: ${r.stderr.split('\n').slice(-3).join(' ')}`, cpu: null, wall: (Date.now() - t0) / 1000, peak: null, base: null };
  return JSON.parse(r.stdout) as Step;
}

function cliRuns(root: string, zip: string, runs: number, out: string, timeoutS: number): { codes: number[]; score: string; wall: number } {
  const codes: number[] = [];
  let score = '-';
  const t0 = Date.now();
  for (let k = 0; k < runs; k++) {
    const r = spawnSync(process.execPath, [path.join(root, 'grader', 'bin', 'clab-grade.js'), 'grade', zip, '--json', '--out', out], { cwd: root, encoding: 'utf8', timeout: timeoutS * 1000, killSignal: 'SIGKILL' });
    codes.push(r.status ?? -1);
    try {
      const doc = JSON.parse(r.stdout) as { score?: number; maxScore?: number; exitCode?: number };
      if (doc.score !== undefined) score = `${doc.score}/${doc.maxScore}`;
    } catch {
      /* no document (killed) */
    }
  }
  return { codes, score, wall: (Date.now() - t0) / 1000 / runs };
}

/** 2 GiB of zeros as one zlib stream (level 6, about 2.1 MB; 10-20 s to make). */
async function oneZlibStream(): Promise<Buffer> {
  const d = zlib.createDeflateRaw({ level: 6 });
  const parts: Buffer[] = [];
  d.on('data', (c: Buffer) => parts.push(c));
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < 2048; i++) if (!d.write(chunk)) await new Promise((r) => d.once('drain', r));
  d.end();
  await new Promise((r) => d.once('end', r));
  return Buffer.concat(parts);
}

/** A shared-stream bomb with one real zlib stream: 100 entries, one local header. */
function sharedStreamBomb(stream: Buffer, out: string): string {
  const bomb: RawEntry = { name: 'd000/ex04-nt-xent.ts', data: stream, crc: CRC_2GIB_ZEROS, size: 1000 };
  const sharing = Array.from({ length: 99 }, (_, i): RawEntry => ({ ...bomb, name: `d${String(i + 1).padStart(3, '0')}/ex04-nt-xent.ts`, sameLocalAs: 0 }));
  const reference = EXERCISE_FILES.map((f) => deflated(`exercises/${f}`, fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', f))));
  fs.writeFileSync(out, rawZip([bomb, ...sharing, ...reference]));
  return out;
}

async function main(): Promise<void> {
  const root = path.resolve(arg('root', PROJECT_ROOT));
  const runs = Number(arg('cli', '0'));
  const killAfter = Number(arg('kill', '120'));
  const only = new RegExp(arg('only', '.'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-archives-'));
  const lines: string[] = [];
  const say = (l: string) => {
    console.log(l);
    lines.push(l);
  };
  try {
    say(`grader at ${root}; ${os.cpus().length} cores; load average ${load()} at the start`);
    say('');
    say(`| archive | archive step | CPU s | wall s | peak MB (base) |${runs > 0 ? ` exit codes (${runs} runs) | score | s per run |` : ''}`);
    say(`|---|---|---|---|---|${runs > 0 ? '---|---|---|' : ''}`);
    const repo = writeStudentRepo(path.join(tmp, 'repo'));
    const kinds = [
      ...TOOL_LAYOUTS.map((l, i) => ({ name: l.name, make: () => l.make(repo, path.join(tmp, `layout-${i}.zip`)) })),
      ...HOSTILE_ARCHIVES.map((h, i) => ({ name: h.name, make: () => h.make(path.join(tmp, `hostile-${i}.zip`), path.join(tmp, `work-${i}`)) })),
    ].filter((k) => only.test(k.name));
    const sharedBomb = '100 entries pointing at one 2 GiB deflate stream, one zlib stream';
    if (only.test(sharedBomb)) {
      const stream = await oneZlibStream();
      kinds.push({ name: sharedBomb, make: () => sharedStreamBomb(stream, path.join(tmp, 'shared-bomb.zip')) });
    }
    for (const k of kinds) {
      const zip = k.make();
      const s = archiveStep(root, zip, killAfter);
      const f = (x: number | null, d: number) => (x === null ? '-' : x.toFixed(d));
      let row = `| ${k.name} | ${s.outcome.replace(/\|/g, '/').replace(tmp, '…').slice(0, 110)} | ${f(s.cpu, 2)} | ${s.wall.toFixed(2)} | ${f(s.peak, 0)} (${f(s.base, 0)}) |`;
      if (runs > 0) {
        const c = cliRuns(root, zip, runs, path.join(tmp, 'out'), Number(arg('cli-timeout', '300')));
        row += ` ${c.codes.join(' ')} | ${c.score} | ${c.wall.toFixed(1)} |`;
      }
      say(`${row} <!-- load ${load()} -->`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const md = arg('md', '');
  if (md !== '') fs.writeFileSync(md, lines.join('\n') + '\n');
}

void main();
