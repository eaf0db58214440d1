/**
 * The grader's machine-readable result (`clab-grade check|grade --json`, format
 * `clab-grade/result@1`), read by the notebook side. `lib` never imports `grader`: these types
 * restate the documented contract (grader/README.md), and {@link parseGraderResult} checks every
 * field it relies on, so a grader that drifts from the contract gives a clear error here.
 */

/** The format tag this reader understands. */
export const GRADER_RESULT_FORMAT = 'clab-grade/result@1';

/** One test's outcome. */
export interface GraderTestResult {
  name: string;
  visibility: 'public' | 'hidden';
  score: number;
  maxScore: number;
  status: 'passed' | 'failed';
  /** For the student: what was checked, expected and received; names a known mistake in words too. */
  feedback: string;
  /** The name of the known mistake the output matched, or null. */
  knownMistake: string | null;
  /** Time charged to the test on the grader's fair clock, ms. */
  ms: number;
  /** The limit that stopped the test, or null. */
  stoppedBy: 'test timeout' | 'exercise budget' | 'start-up' | 'memory' | null;
}

/** One exercise's outcome. */
export interface GraderExerciseResult {
  id: string;
  file: string;
  title: string;
  score: number;
  maxScore: number;
  /** Type errors, forbidden imports, load problems: shown, not scored by themselves. */
  notes: string[];
  /** Time charged to the exercise on the grader's fair clock and its budget (ms), its wall time, what stopped it. */
  time: { ms: number; budgetMs: number; wallMs: number; stoppedBy: GraderTestResult['stoppedBy'] };
  tests: GraderTestResult[];
}

/** A whole `check` or `grade` run. */
export interface GraderResult {
  format: typeof GRADER_RESULT_FORMAT;
  verb: 'check' | 'grade';
  submission: string;
  score: number;
  maxScore: number;
  /** Hidden tests that exist but were not run (`check`). */
  hiddenNotRun: number;
  /** What the sandbox could enforce here (network, user, memory, ...), as the grader reports it. */
  sandbox: Record<string, unknown>;
  exercises: GraderExerciseResult[];
}

type Check = (v: unknown) => boolean;
const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isStr: Check = (v) => typeof v === 'string';

function field(obj: Record<string, unknown>, key: string, at: string, ok: Check, want: string): unknown {
  const v = obj[key];
  if (!ok(v)) throw new Error(`parseGraderResult: ${at}${key} must be ${want}, got ${JSON.stringify(v) ?? 'undefined'}`);
  return v;
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`parseGraderResult: ${at || 'the result'} must be an object, got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return v as Record<string, unknown>;
}

/**
 * Parses and checks the JSON document `clab-grade check --json` prints.
 * @param text the grader's whole stdout
 * @returns the result, every field the notebook uses checked for its type
 * @throws naming the field and the value when the text is not JSON or not `clab-grade/result@1`
 * @example parseGraderResult(stdout).exercises.map((e) => `${e.id} ${e.score}/${e.maxScore}`)
 */
export function parseGraderResult(text: string): GraderResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const head = text.trim().slice(0, 200);
    throw new Error(`parseGraderResult: the grader's output is not JSON (${(e as Error).message}); it starts with: ${head === '' ? '(nothing)' : JSON.stringify(head)}`);
  }
  const r = object(doc, '');
  if (r.format !== GRADER_RESULT_FORMAT) {
    throw new Error(`parseGraderResult: format must be "${GRADER_RESULT_FORMAT}", got ${JSON.stringify(r.format)}; the grader and the library in this repository do not match (run npm run build)`);
  }
  field(r, 'verb', '', (v) => v === 'check' || v === 'grade', '"check" or "grade"');
  field(r, 'submission', '', isStr, 'a string');
  for (const k of ['score', 'maxScore', 'hiddenNotRun']) field(r, k, '', isNum, 'a number');
  object(r.sandbox, 'sandbox');
  field(r, 'exercises', '', Array.isArray, 'an array');
  (r.exercises as unknown[]).forEach((ev, i) => {
    const at = `exercises[${i}].`;
    const e = object(ev, at.slice(0, -1));
    for (const k of ['id', 'file', 'title']) field(e, k, at, isStr, 'a string');
    for (const k of ['score', 'maxScore']) field(e, k, at, isNum, 'a number');
    field(e, 'notes', at, (v) => Array.isArray(v) && v.every(isStr), 'an array of strings');
    field(e, 'tests', at, Array.isArray, 'an array');
    (e.tests as unknown[]).forEach((tv, j) => {
      const tat = `${at}tests[${j}].`;
      const t = object(tv, tat.slice(0, -1));
      for (const k of ['name', 'feedback']) field(t, k, tat, isStr, 'a string');
      for (const k of ['score', 'maxScore', 'ms']) field(t, k, tat, isNum, 'a number');
      field(t, 'visibility', tat, (v) => v === 'public' || v === 'hidden', '"public" or "hidden"');
      field(t, 'status', tat, (v) => v === 'passed' || v === 'failed', '"passed" or "failed"');
      field(t, 'knownMistake', tat, (v) => v === null || isStr(v), 'a string or null');
    });
  });
  return r as unknown as GraderResult;
}
