/**
 * Reads the grader's machine-readable result (`clab-grade check|grade --json`, format
 * `clab-grade/result@1`, whose types are in grader_result.ts) on the notebook side.
 * {@link parseGraderResult} checks every field it relies on, so a grader that drifts from the
 * contract gives a clear error here.
 */
import { GRADER_RESULT_FORMAT, type GraderResult } from './grader_result';

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
