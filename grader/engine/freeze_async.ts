import type { Worker } from 'node:worker_threads';
import type { CompiledFile } from './compile_submission';
import type { FrozenExercise } from './freeze_exercise';
import type { Visibility } from './result_types';
import { startWorker } from './start_worker';

/** The freeze worker ended or could not start: freeze in this thread instead (the same inputs and references). */
export class FreezeWorkerGone extends Error {}

/** What the worker prepares for one submission. */
export interface PreparedSubmission {
  /** `loadExercises(projectRoot, visibilities).freeze(freshSeeds(secret, files))`, as this thread would freeze them. */
  exercises: FrozenExercise[];
  /** `compileSubmission(files, exercises)`. */
  compiled: Map<string, CompiledFile>;
}

/** Freezes exercises on a submission's fresh seeds and compiles its files in a worker thread ({@link startFreezeWorker}). */
export interface FreezeWorker {
  /**
   * The submission's exercises on its fresh seeds, and its files compiled.
   * @throws FreezeWorkerGone when the worker is not there to answer; Error when freezing failed
   */
  prepare(files: ReadonlyMap<string, string>): Promise<PreparedSubmission>;
  /** Ends the worker; later calls of prepare throw FreezeWorkerGone. */
  stop(): Promise<void>;
}

/**
 * Starts a worker thread that loads the exercises once and, for each submission, freezes them on
 * fresh seeds from `secret` (the inputs, the references' and the known mistakes' outputs) and
 * compiles its files: together most of the grader's own work per submission in grade-all, all
 * of it on the main thread before. The main thread meanwhile
 * answers the sandboxed children of the submissions already running, which wait on it for every
 * test. The worker keeps the process alive only while it has a request.
 * @returns null when no worker thread can be started here (freeze in this thread)
 */
export function startFreezeWorker(projectRoot: string, visibilities: Visibility[], secret: Uint8Array): FreezeWorker | null {
  let w: Worker;
  try {
    w = startWorker(__dirname, 'freeze_worker', { projectRoot, visibilities, secret });
  } catch {
    return null;
  }
  let gone: string | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (p: PreparedSubmission) => void; reject: (e: Error) => void }>();
  const end = (why: string): void => {
    gone = why;
    for (const p of pending.values()) p.reject(new FreezeWorkerGone(why));
    pending.clear();
    w.unref();
  };
  w.on('message', (m: { id: number; frozen?: FrozenExercise[]; compiled?: Array<[string, CompiledFile]>; error?: string }) => {
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.frozen !== undefined && m.compiled !== undefined) p.resolve({ exercises: m.frozen, compiled: new Map(m.compiled) });
    else p.reject(new Error(m.error ?? 'the freeze worker answered nothing'));
  });
  w.on('error', (e) => end(`the freeze worker failed: ${e.message}`));
  w.on('exit', (code) => end(`the freeze worker ended (exit ${code})`));
  // After the listeners: adding a 'message' listener refs the worker's port again.
  w.unref();
  return {
    prepare: (files) =>
      new Promise((resolve, reject) => {
        if (gone !== null) return reject(new FreezeWorkerGone(gone));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, files: [...files] });
      }),
    stop: async () => {
      end('stopped');
      await w.terminate();
    },
  };
}
