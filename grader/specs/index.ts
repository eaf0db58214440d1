// Every exercise spec, in exercise order. A new exercise adds one import and one entry.
import type { ExerciseSpec } from './spec_types';
import { ex01 } from './ex01-triplet';
import { ex02 } from './ex02-n-pair';
import { ex03 } from './ex03-infonce-bound';
import { ex04 } from './ex04-nt-xent';
import { ex05 } from './ex05-moco';

/** All exercise specs the grader knows. */
export const SPECS: ExerciseSpec[] = [ex01, ex02, ex03, ex04, ex05];

export type { ExerciseSpec, GradedTest, KnownMistake, Tolerance, Visibility } from './spec_types';
