// Every exercise spec, in exercise order. A new exercise adds one import and one entry.
import type { ExerciseSpec } from './spec_types';
import { ex04 } from './ex04-nt-xent';
import { ex05 } from './ex05-moco';

/** All exercise specs the grader knows. */
export const SPECS: ExerciseSpec[] = [ex04, ex05];

export type { ExerciseSpec, GradedTest, KnownMistake, Tolerance, Visibility } from './spec_types';
