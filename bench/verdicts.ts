// Do two checkouts' graders give the same verdicts? Runs `check --json` and `grade --json` of each
// checkout on the same submissions (the reference, the stubs, malformed files, known mistakes,
// attacks that end quickly, type errors with JSDoc around them) and compares the documents,
// timings and paths aside: scores, statuses, feedback, named mistakes, notes and type errors.
//
//   npx tsx bench/verdicts.ts --root <checkout before> --root <checkout after> [--quick]
//
// The one-line result per run says `same` or the first place where the documents differ.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSubmission } from './grader';

const args = process.argv.slice(2);
const roots = args.flatMap((a, i) => (a === '--root' ? [path.resolve(args[i + 1])] : []));
const quick = args.includes('--quick');

/** A submission made here: the reference overlaid with `kind`'s fixture files, or made by `edit`. */
interface Case {
  name: string;
  kind: string;
  edit?: (dir: string) => void;
  verbs: Array<'check' | 'grade'>;
}

/** JSDoc a type-check may or may not parse, around a real type error and a `@link`. */
function jsdocTypeError(dir: string): void {
  const file = path.join(dir, 'ex04-nt-xent.ts');
  const extra = [
    '',
    '/**',
    ' * A helper with JSDoc the type-check skips or reads: {@link ntXentLoss}, @see tf.matMul.',
    ' * @param {string} x not the type the signature says',
    ' * @deprecated use ntXentLoss',
    ' * @returns {number}',
    ' */',
    'export function helper(x: number): string {',
    '  return x; // TS2322',
    '}',
    '/** @type {number} */',
    'export const n: number = "one";',
    '',
  ].join('\n');
  fs.appendFileSync(file, extra);
}

const CASES: Case[] = [
  { name: 'reference', kind: 'reference', verbs: ['check', 'grade'] },
  { name: 'stubs', kind: 'stubs', verbs: ['check', 'grade'] },
  { name: 'jsdoc-type-errors', kind: 'reference', edit: jsdocTypeError, verbs: ['check', 'grade'] },
  ...['type-error-only', 'syntax-error', 'forbidden-import', 'missing-export', 'wrong-arity', 'nan-output'].map((m) => ({ name: m, kind: `malformed/${m}`, verbs: ['check', 'grade'] as Array<'check' | 'grade'> })),
  ...['ex01-sum', 'ex02-no-temperature', 'ex03-variance-1', 'ex03-stderr-n', 'ex04-self-similarity', 'ex05-positive-last'].map((m) => ({ name: m, kind: `mistakes/${m}`, verbs: ['grade'] as Array<'check' | 'grade'> })),
  ...['patch-tfjs', 'lying-value', 'mutate-inputs', 'throw-non-error', 'read-secrets', 'code-eval'].map((m) => ({ name: m, kind: `attacks/${m}`, verbs: ['grade'] as Array<'check' | 'grade'> })),
];

/** The document without what differs from run to run: timings, paths, the cached-or-not canary line. */
function normalise(doc: unknown, dir: string): unknown {
  return JSON.parse(JSON.stringify(doc, (k, v) => (['ms', 'wallMs', 'submission'].includes(k) ? undefined : typeof v === 'string' ? v.split(dir).join('<dir>') : v)));
}

function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return `${at || '.'}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

function main(): void {
  if (roots.length < 2) throw new Error('usage: npx tsx bench/verdicts.ts --root <before> --root <after> [--quick]');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-verdicts-'));
  fs.chmodSync(tmp, 0o755);
  let differ = 0;
  try {
    for (const c of quick ? CASES.slice(0, 4) : CASES) {
      const dir = path.join(tmp, c.name);
      makeSubmission(dir, c.kind);
      c.edit?.(dir);
      for (const verb of c.verbs) {
        const docs = roots.map((root) => {
          const argv = [path.join(root, 'grader', 'bin', 'clab-grade.js'), verb, dir, '--json', ...(verb === 'grade' ? ['--out', path.join(tmp, 'out')] : [])];
          const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
          try {
            return { code: r.status, doc: normalise(JSON.parse(r.stdout), dir) };
          } catch {
            return { code: r.status, doc: { unparsable: r.stdout.slice(0, 200), stderr: r.stderr.slice(-500) } };
          }
        });
        const scores = docs.map((d) => `${(d.doc as { score?: number }).score ?? '?'}/${(d.doc as { maxScore?: number }).maxScore ?? '?'} exit ${d.code}`);
        const diff = docs.slice(1).map((d) => firstDifference(docs[0], d)).find((x) => x !== null) ?? null;
        if (diff !== null) differ++;
        console.log(`${verb.padEnd(5)} ${c.name.padEnd(22)} ${scores.join(' | ').padEnd(40)} ${diff === null ? 'same' : `DIFFERS at ${diff}`}`);
      }
    }
    console.log(differ === 0 ? 'every document is the same (timings and paths aside)' : `${differ} documents differ`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = differ === 0 ? 0 : 1;
}

main();
