import { randomTensor } from '../specs/random_tensor';
import type { ExerciseSpec } from '../specs/spec_types';

/** The canary as an exercise spec: one test of {@link graderCanary} on seeded inputs. */
export const CANARY_SPEC: ExerciseSpec = {
  id: 'canary',
  file: 'canary/grader_canary.ts',
  title: "the grader's canary module",
  functions: ['graderCanary'],
  forbiddenLib: [],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('./grader_canary'),
  tests: [
    {
      name: 'graderCanary(x [5,3], 0.6): row norms and the Gaussian MI',
      points: 1,
      visibility: 'public',
      fn: 'graderCanary',
      seed: 9001,
      calls: (rng) => [[randomTensor(rng, [5, 3]), 0.6]],
    },
  ],
  mistakes: [],
};
