import { describePlain } from '../plain_value';
import type { ChildCallResult } from '../sandbox/sandbox_process';
import { PROPERTIES } from '../specs/properties';
import { comparePlain, describeUntrusted } from './compare_plain';
import type { FrozenTest } from './freeze_exercise';

/** The verdict on one test's untrusted child results. */
export interface TestVerdict {
  passed: boolean;
  feedback: string;
  /** The known mistake whose output the failing result matched, else null. */
  knownMistake: string | null;
}

/**
 * The input of one call, as the feedback shows it. `call` given: that call (the one that failed),
 * "call 2 of 3"; omitted: the first call, "(and 2 more calls)".
 */
function describeArgs(test: FrozenTest, call?: number): string {
  const i = call ?? 0;
  const shown = (test.calls[i] ?? []).map((a) => describePlain(a, 4)).join(', ');
  const n = test.calls.length;
  const which = n <= 1 ? '' : call === undefined ? ` (and ${n - 1} more calls)` : ` (call ${i + 1} of ${n})`;
  return `${test.fn}(${shown})${which}, input seed ${test.seed}`;
}

function safeString(v: unknown, max = 600): string {
  return typeof v === 'string' ? v.slice(0, max) : 'an error it could not describe';
}

/**
 * Scores one test from what the child reported: each call must have succeeded, returned plain
 * data matching the reference within tolerance (or satisfying the property), and left its
 * inputs unchanged. A failing output that matches a known mistake names the mistake.
 */
export function scoreTest(test: FrozenTest, results: unknown): TestVerdict {
  const input = `Input: ${describeArgs(test)}.`;
  if (!Array.isArray(results) || results.length !== test.calls.length) {
    return { passed: false, feedback: `${input}\nThe test process sent a malformed answer.`, knownMistake: null };
  }
  const values: unknown[] = [];
  const notes: string[] = [];
  for (const [i, r0] of results.entries()) {
    const r = (typeof r0 === 'object' && r0 !== null ? r0 : {}) as ChildCallResult;
    // A failing call shows ITS input: a test's later calls hold the random inputs.
    const failedInput = `Input: ${describeArgs(test, test.calls.length > 1 ? i : undefined)}.`;
    if (r.ok !== true) return { passed: false, feedback: `${failedInput}\nYour function threw: ${safeString(r.error)}`, knownMistake: null };
    const rNotes = Array.isArray(r.notes) ? r.notes.filter((n): n is string => typeof n === 'string') : [];
    const mutated = rNotes.find((n) => n.startsWith('MUTATED'));
    if (mutated) {
      return { passed: false, feedback: `${failedInput}\nYour function changed its input tensor in place; compute a new tensor instead (tfjs ops never modify their inputs).`, knownMistake: null };
    }
    notes.push(...rNotes.map((n) => `Note: ${n.slice(0, 200)}`));
    values.push(r.value);
  }
  const tail = notes.length > 0 ? `\n${[...new Set(notes)].join('\n')}` : '';
  if (test.property !== undefined) {
    const check = PROPERTIES[test.property];
    if (!check) return { passed: false, feedback: `${input}\nGrader error: unknown property ${test.property}`, knownMistake: null };
    let msg: string | null;
    try {
      msg = check(values, test.calls);
    } catch (e) {
      msg = `the result could not be checked (${(e as Error).message})`;
    }
    return msg === null ? { passed: true, feedback: `${input}\nPassed.${tail}`, knownMistake: null } : { passed: false, feedback: `${input}\n${msg}${tail}`, knownMistake: null };
  }
  const expected = test.expected ?? [];
  for (let i = 0; i < values.length; i++) {
    const msg = comparePlain(values[i], expected[i], test.tolerance);
    if (msg === null) continue;
    const failedInput = `Input: ${describeArgs(test, values.length > 1 ? i : undefined)}.`;
    let text = `${failedInput}\nExpected: ${describePlain(expected[i])}\nReceived: ${describeUntrusted(values[i])}\nWhy it failed: ${msg} (tolerance rtol ${test.tolerance.rtol}, atol ${test.tolerance.atol}).`;
    const known = test.mistakes.find((m) => values.every((v, j) => comparePlain(v, m.outputs[j], test.tolerance) === null));
    if (known) text += `\nThis looks like a known mistake: ${known.name}. ${known.explain}`;
    return { passed: false, feedback: text + tail, knownMistake: known?.name ?? null };
  }
  return { passed: true, feedback: `${input}\nPassed.${tail}`, knownMistake: null };
}
