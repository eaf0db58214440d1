import type { PlainValue } from '../plain_value';
import type { Rng } from '../../lib/tensor';

/** Who sees a test: `public` tests run in `check` (students); `hidden` ones only in `grade`. */
export type Visibility = 'public' | 'hidden';

/** A received number x matches expected e when |x - e| <= atol + rtol * |e|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** A student function as the parent calls it: tensors and plain values in, a value out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

/** One graded test of one exported function. */
export interface GradedTest {
  /** Signature-first, e.g. `tripletLoss(a, p, n, {margin: 1}) is 0 when every negative is far`. */
  name: string;
  points: number;
  visibility: Visibility;
  /** The exported function under test. */
  fn: string;
  /** Seed of the input generator (printed in feedback so a failure can be replayed). */
  seed: number;
  /**
   * Argument lists, one per call; plain data, tensors as plainTensor(...). The test passes only
   * if every call does. A call whose answer follows from shapes and parameters alone (a closed
   * form on a special input) never stands alone: give the test a random call too.
   */
  calls: (rng: Rng) => PlainValue[][];
  /** Default {rtol: 1e-4, atol: 1e-5}. */
  tolerance?: Tolerance;
  /**
   * Name of a property in `grader/specs/properties.ts` checked instead of comparing with the
   * reference (for functions whose output depends on sampling the grader cannot reproduce).
   * A property alone can be met without computing anything (grader/DESIGN.md, "Guess-proof
   * tests"), so none is in use.
   */
  property?: string;
  /** Time limit for all calls of this test, ms (default from the grade options). */
  timeoutMs?: number;
}

/** A wrong variant students commonly write; named in feedback when an output matches it. */
export interface KnownMistake {
  /** Short name, e.g. `sum instead of mean`. */
  name: string;
  /** What is wrong and how to fix it, addressed to the student. */
  explain: string;
  /** The exported function it imitates. */
  fn: string;
  /** The wrong variant, computed in the trusted parent. */
  impl: AnyFunction;
}

/** Everything the grader knows about one exercise. */
export interface ExerciseSpec {
  /** `ex01` */
  id: string;
  /** File the student edits, e.g. `ex01-triplet.ts`. */
  file: string;
  title: string;
  /** Functions the file must export. */
  functions: string[];
  /** Library exports this exercise may not use (it asks the student to write them). */
  forbiddenLib: string[];
  /** Loads the reference implementation (solutions/) in the trusted parent. */
  reference: () => Record<string, AnyFunction>;
  tests: GradedTest[];
  mistakes: KnownMistake[];
}
