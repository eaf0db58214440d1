/**
 * Reads the grader's machine-readable result (`clab-grade check|grade --json`, format
 * `clab-grade/result@1`, whose types are in grader_result.ts) on the notebook side.
 * {@link parseGraderResult} checks every field of the contract (those added within `@1` when the
 * document has them), so a grader that drifts from the contract gives a clear error here.
 */
import { GRADER_RESULT_FORMAT, type GraderCourseFiles, type GraderLimit, type GraderResult } from './grader_result';

type Check = (v: unknown) => boolean;
const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isStr: Check = (v) => typeof v === 'string';
const isStrs: Check = (v) => Array.isArray(v) && v.every(isStr);
const LIMITS: readonly GraderLimit[] = ['test timeout', 'exercise budget', 'start-up', 'memory'];
const isLimit: Check = (v) => v === null || LIMITS.includes(v as GraderLimit);
const LIMIT_WANT = `${LIMITS.map((l) => JSON.stringify(l)).join(', ')} or null`;
const STATUSES: ReadonlyArray<GraderCourseFiles['status']> = ['verified', 'modified', 'no-course-files'];

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

/** Whether the document has `key` at all: fields added within the format are checked only when present (an older grader does not write them). */
function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** `inputs`: where the seeds came from. */
function checkInputs(v: unknown): void {
  const i = object(v, 'inputs');
  field(i, 'digest', 'inputs.', isStr, 'a string');
  field(i, 'secret', 'inputs.', (x) => x === null || isStr(x), 'a string or null');
}

/** `exercises[i].time`: the fair clock's time, the budget, the wall time, what stopped it. */
function checkTime(v: unknown, at: string): void {
  const t = object(v, `${at}time`);
  for (const k of ['ms', 'budgetMs', 'wallMs']) field(t, k, `${at}time.`, isNum, 'a number');
  field(t, 'stoppedBy', `${at}time.`, isLimit, LIMIT_WANT);
}

/** `courseFiles`: the submission's course files against the release manifest. */
function checkCourseFiles(v: unknown): void {
  const c = object(v, 'courseFiles');
  const at = 'courseFiles.';
  field(c, 'status', at, (x) => STATUSES.includes(x as GraderCourseFiles['status']), '"verified", "modified" or "no-course-files"');
  field(c, 'summary', at, isStr, 'a string');
  for (const k of ['modified', 'added', 'missing']) field(c, k, at, isStrs, 'an array of strings');
  field(c, 'files', at, isNum, 'a number');
  const m = object(c.manifest, `${at}manifest`);
  for (const k of ['path', 'digest']) field(m, k, `${at}manifest.`, isStr, 'a string');
}

/**
 * Parses and checks the JSON document `clab-grade check --json` prints.
 * @param text the grader's whole stdout
 * @returns the result, every field checked for its type (the fields added within `@1`, `inputs`,
 *   each test's `seed` and `stoppedBy`, each exercise's `time`, `courseFiles`, when present)
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
  if (has(r, 'inputs')) checkInputs(r.inputs);
  if (has(r, 'courseFiles')) checkCourseFiles(r.courseFiles);
  field(r, 'exercises', '', Array.isArray, 'an array');
  (r.exercises as unknown[]).forEach((ev, i) => {
    const at = `exercises[${i}].`;
    const e = object(ev, at.slice(0, -1));
    for (const k of ['id', 'file', 'title']) field(e, k, at, isStr, 'a string');
    for (const k of ['score', 'maxScore']) field(e, k, at, isNum, 'a number');
    field(e, 'notes', at, isStrs, 'an array of strings');
    if (has(e, 'time')) checkTime(e.time, at);
    field(e, 'tests', at, Array.isArray, 'an array');
    (e.tests as unknown[]).forEach((tv, j) => {
      const tat = `${at}tests[${j}].`;
      const t = object(tv, tat.slice(0, -1));
      for (const k of ['name', 'feedback']) field(t, k, tat, isStr, 'a string');
      for (const k of ['score', 'maxScore', 'ms']) field(t, k, tat, isNum, 'a number');
      field(t, 'visibility', tat, (v) => v === 'public' || v === 'hidden', '"public" or "hidden"');
      field(t, 'status', tat, (v) => v === 'passed' || v === 'failed', '"passed" or "failed"');
      field(t, 'knownMistake', tat, (v) => v === null || isStr(v), 'a string or null');
      if (has(t, 'stoppedBy')) field(t, 'stoppedBy', tat, isLimit, LIMIT_WANT);
      if (has(t, 'seed')) field(t, 'seed', tat, (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff, 'a whole number from 0 to 4294967295');
    });
  });
  return r as unknown as GraderResult;
}
