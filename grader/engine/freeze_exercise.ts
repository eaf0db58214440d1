import type { PlainValue } from '../plain_value';
import type { ExerciseSpec, GradedTest, Tolerance, Visibility } from '../specs/spec_types';
import { seededRng } from '../../lib/tensor/seeded_random';
import { onCpuBackend, referenceOutput } from './reference_output';
import { comparePlain } from './compare_plain';

/** A test with its inputs generated and its expected outputs computed: plain data only. */
export interface FrozenTest {
  name: string;
  points: number;
  visibility: Visibility;
  fn: string;
  /** The seed its inputs were drawn from: the spec's fixed seed, or a fresh one (see {@link SeedOf}). */
  seed: number;
  calls: PlainValue[][];
  /** Reference outputs, one per call (null for property tests). */
  expected: PlainValue[] | null;
  property?: string;
  tolerance: Tolerance;
  timeoutMs?: number;
  /** Known mistakes whose outputs differ from the reference on these inputs. */
  mistakes: Array<{ name: string; explain: string; outputs: PlainValue[] }>;
}

/** An exercise ready to grade: what the student must export and the frozen tests. */
export interface FrozenExercise {
  id: string;
  file: string;
  title: string;
  functions: string[];
  /** Minimum parameter count of each function, read from the reference (Function.length). */
  arity: Record<string, number>;
  forbiddenLib: string[];
  tests: FrozenTest[];
  /** Names of the known mistakes (for reports and release checks). */
  mistakeNames: string[];
  /** Hidden tests the spec has (counted even when they were not frozen). */
  hiddenCount: number;
}

/**
 * The seed a test's inputs are drawn from, given the exercise id and the test. `check` and the
 * release's frozen public tests use {@link FIXED_SEEDS}; `freshSeeds` (fresh_seeds.ts) gives
 * fresh ones per submission.
 */
export type SeedOf = (exerciseId: string, test: GradedTest) => number;

/** Every test's own fixed seed (`GradedTest.seed`): the published public inputs. */
export const FIXED_SEEDS: SeedOf = (_exerciseId, test) => test.seed;

/** Default tolerance for float32 results. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** How many times a test's inputs are drawn before an unclear or confusable mistake is a spec error. */
const MAX_DRAWS = 20;

function scaled(tolerance: Tolerance, factor: number): Tolerance {
  return { rtol: tolerance.rtol * factor, atol: tolerance.atol * factor };
}

/**
 * The known mistakes of `fn` on these calls: those whose outputs differ from the reference
 * (`listed`), and the first whose outputs are neither within a tenth of the tolerance of the
 * reference on every call nor beyond ten times the tolerance on some call (`unclear`): a draw
 * where such a mistake shows or hides by chance, or by the rounding of a student's own version
 * of it. A mistake that throws is left out.
 */
function mistakeOutputs(spec: ExerciseSpec, fn: string, calls: PlainValue[][], expected: PlainValue[], tolerance: Tolerance): { listed: FrozenTest['mistakes']; unclear: string | null } {
  const listed: FrozenTest['mistakes'] = [];
  let unclear: string | null = null;
  for (const m of spec.mistakes.filter((x) => x.fn === fn)) {
    let outputs: PlainValue[];
    try {
      outputs = calls.map((args) => referenceOutput(m.impl, args));
    } catch {
      continue;
    }
    const beyond = (factor: number) => outputs.some((o, i) => comparePlain(o, expected[i], scaled(tolerance, factor)) !== null);
    if (beyond(1)) listed.push({ name: m.name, explain: m.explain, outputs });
    if (unclear === null && beyond(0.1) && !beyond(10)) unclear = m.name;
  }
  return { listed, unclear };
}

/**
 * Whether one received output could match both `a` and `b` (each within `tolerance`): true when
 * they are closer than twice the tolerance on every call.
 */
export function confusable(a: PlainValue[], b: PlainValue[], tolerance: Tolerance): boolean {
  return a.every((o, k) => comparePlain(o, b[k], scaled(tolerance, 2)) === null);
}

/** The first pair of differently named mistakes with confusable outputs, else null. */
export function confusedMistakes(mistakes: FrozenTest['mistakes'], tolerance: Tolerance): [string, string] | null {
  for (const [i, a] of mistakes.entries()) {
    for (const b of mistakes.slice(i + 1)) {
      if (a.name !== b.name && confusable(a.outputs, b.outputs, tolerance)) return [a.name, b.name];
    }
  }
  return null;
}

/**
 * Generates every test's inputs from its seed and computes the reference outputs and the known
 * mistakes' outputs in this (trusted) process. Tests of other visibilities can be dropped first.
 * @param spec the exercise spec (loads solutions/ through spec.reference)
 * @param visibilities which tests to keep
 * @param seedOf the seed of each test (default: the spec's fixed seeds)
 */
export function freezeExercise(spec: ExerciseSpec, visibilities: Visibility[] = ['public', 'hidden'], seedOf: SeedOf = FIXED_SEEDS): FrozenExercise {
  return onCpuBackend(() => freezeOnCpu(spec, visibilities, seedOf));
}

function freezeOnCpu(spec: ExerciseSpec, visibilities: Visibility[], seedOf: SeedOf): FrozenExercise {
  const reference = spec.reference();
  const arity: Record<string, number> = {};
  for (const fn of spec.functions) {
    if (typeof reference[fn] !== 'function') throw new Error(`${spec.id}: the reference does not export ${fn}`);
    arity[fn] = reference[fn].length;
  }
  const tests: FrozenTest[] = [];
  for (const t of spec.tests) {
    if (!visibilities.includes(t.visibility)) continue;
    const seed = seedOf(spec.id, t);
    if (!Number.isInteger(seed)) throw new Error(`${spec.id} "${t.name}": the seed must be an integer, got ${seed}`);
    const tolerance = t.tolerance ?? DEFAULT_TOLERANCE;
    const rng = seededRng(seed);
    // Every known mistake must either agree with the reference or clearly differ from it, and
    // two differently named mistakes must never be confusable (the feedback would name the wrong
    // one). A draw that breaks either is drawn again from the same generator: the inputs stay a
    // function of the seed.
    for (let draw = 1; ; draw++) {
      const calls = t.calls(rng);
      const expected = t.property ? null : calls.map((args) => referenceOutput(reference[t.fn], args));
      const { listed, unclear } = expected === null ? { listed: [], unclear: null } : mistakeOutputs(spec, t.fn, calls, expected, tolerance);
      const clash = confusedMistakes(listed, tolerance);
      if (unclear === null && clash === null) {
        tests.push({ name: t.name, points: t.points, visibility: t.visibility, fn: t.fn, seed, calls, expected, property: t.property, tolerance, timeoutMs: t.timeoutMs, mistakes: listed });
        break;
      }
      if (draw === MAX_DRAWS) {
        const why = clash !== null
          ? `"${clash[0]}" and "${clash[1]}" give the same outputs on ${MAX_DRAWS} draws of the inputs; the test cannot tell them apart`
          : `"${unclear}" lands near the reference (neither within a tenth of the tolerance nor beyond ten times it) on ${MAX_DRAWS} draws of the inputs; the test cannot tell whether it is there`;
        throw new Error(`${spec.id} "${t.name}" seed ${seed}: ${why}`);
      }
    }
  }
  return {
    id: spec.id,
    file: spec.file,
    title: spec.title,
    functions: spec.functions,
    arity,
    forbiddenLib: spec.forbiddenLib,
    tests,
    mistakeNames: spec.mistakes.map((m) => m.name),
    hiddenCount: spec.tests.filter((t) => t.visibility === 'hidden').length,
  };
}
