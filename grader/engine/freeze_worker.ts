// The freeze worker thread (freeze_async.ts): loads the exercises once, then for each submission
// freezes them on its fresh seeds and compiles its files, so the grader's main thread keeps
// serving the sandboxed children.
import { parentPort, workerData } from 'node:worker_threads';
import { compileSubmission } from './compile_submission';
import { freshSeeds } from './fresh_seeds';
import { loadExercises, type LoadedExercises } from './load_exercises';
import type { Visibility } from './result_types';

const { projectRoot, visibilities, secret } = workerData as { projectRoot: string; visibilities: Visibility[]; secret: Uint8Array };

let exercises: LoadedExercises | null = null;
let loadError = '';
try {
  exercises = loadExercises(projectRoot, visibilities);
} catch (e) {
  loadError = (e as Error).message;
}

parentPort!.on('message', (m: { id: number; files: Array<[string, string]> }) => {
  try {
    if (exercises === null) throw new Error(`the exercises did not load in the freeze worker: ${loadError}`);
    const files = new Map(m.files);
    const frozen = exercises.freeze(freshSeeds(secret, files));
    parentPort!.postMessage({ id: m.id, frozen, compiled: [...compileSubmission(files, frozen)] });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
