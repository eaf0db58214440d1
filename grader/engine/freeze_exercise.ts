import type { PlainValue } from '../plain_value';
import type { ExerciseSpec, GradedTest, Tolerance, Visibility } from '../specs/spec_types';
import { seededRng } from '../../lib/tensor/seeded_random';
import { loadTfjs, referenceOutput } from './reference_output';
import { comparePlain } from './compare_plain';

/** A test with its inputs generated and its expected outputs computed: plain data only. */
export interface FrozenTest {
  name: string;
  points: number;
  visibility: Visibility;
  fn: string;
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

/** Default tolerance for float32 results. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** The seed a test's inputs are generated from, given its exercise id and its spec. */
export type SeedOf = (exerciseId: string, test: GradedTest) => number;

/** Each test's own fixed seed, written in its spec (the public inputs `check` and the release use). */
export const FIXED_SEEDS: SeedOf = (_, test) => test.seed;

/**
 * Generates every test's inputs from its seed and computes the reference outputs and the known
 * mistakes' outputs in this (trusted) process. Tests of other visibilities can be dropped first.
 * @param spec the exercise spec (loads solutions/ through spec.reference)
 * @param visibilities which tests to keep
 * @param seedOf each test's seed (default: the spec's own)
 */
export function freezeExercise(spec: ExerciseSpec, visibilities: Visibility[] = ['public', 'hidden'], seedOf: SeedOf = FIXED_SEEDS): FrozenExercise {
  loadTfjs(); // before the spec's inputs make the first tensor
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
    const calls = t.calls(seededRng(seed));
    const tolerance = t.tolerance ?? DEFAULT_TOLERANCE;
    const expected = t.property ? null : calls.map((args) => referenceOutput(reference[t.fn], args));
    const mistakes: FrozenTest['mistakes'] = [];
    if (expected !== null) {
      for (const m of spec.mistakes.filter((m) => m.fn === t.fn)) {
        let outputs: PlainValue[];
        try {
          outputs = calls.map((args) => referenceOutput(m.impl, args));
        } catch {
          continue;
        }
        const differs = outputs.some((o, i) => comparePlain(o, expected[i], tolerance) !== null);
        if (differs) mistakes.push({ name: m.name, explain: m.explain, outputs });
      }
    }
    tests.push({ name: t.name, points: t.points, visibility: t.visibility, fn: t.fn, seed, calls, expected, property: t.property, tolerance, timeoutMs: t.timeoutMs, mistakes });
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
