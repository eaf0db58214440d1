import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (r: Map<string, string[]>) => void>();

function getWorker(): Worker | null {
  if (worker) return worker;
  const js = path.join(__dirname, 'typecheck_worker.js');
  const ts = path.join(__dirname, 'typecheck_worker.ts');
  try {
    // Node 20 workers do not inherit tsx's loader hooks: register tsx's CommonJS hook first.
    worker = fs.existsSync(js)
      ? new Worker(js)
      : new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`, { eval: true, execArgv: [] });
  } catch {
    return null;
  }
  worker.unref();
  worker.on('message', (m: { id: number; ok: boolean; diagnostics?: Array<[string, string[]]>; error?: string }) => {
    const done = pending.get(m.id);
    pending.delete(m.id);
    if (!done) return;
    done(m.ok ? new Map(m.diagnostics) : new Map([['*', [`type check could not run: ${m.error}`]]]));
  });
  worker.on('error', () => {
    worker = null;
    for (const [id, done] of pending) {
      pending.delete(id);
      done(new Map([['*', ['type check could not run: the worker crashed']]]));
    }
  });
  return worker;
}

/**
 * {@link typecheckSubmission} on a worker thread (one per process, kept warm), so type-checking
 * overlaps with the sandboxed tests. Falls back to this thread if no worker can start.
 */
export function typecheckAsync(projectRoot: string, files: Map<string, string>): Promise<Map<string, string[]>> {
  const w = getWorker();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (w === null) return Promise.resolve((require('./typecheck_submission') as typeof import('./typecheck_submission')).typecheckSubmission(projectRoot, files));
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.ref();
    w.postMessage({ id, projectRoot, files: [...files] });
  }).then((r) => {
    // Idle again: let the process end without it. Not once it is being stopped: terminate() has
    // ref'ed it so the process waits for it to end, and an answer that was already queued would
    // undo that (the event loop empties and the process exits 0 before its exit code is set).
    if (pending.size === 0 && worker === w) w.unref();
    return r as Map<string, string[]>;
  });
}

/** Stops the worker (tests, or before exit); the process stays alive until it has ended. */
export async function stopTypecheckWorker(): Promise<void> {
  const w = worker;
  worker = null; // first: answers that arrive while it stops no longer unref it
  if (w) await w.terminate();
}

/**
 * Starts the type-check worker and has it parse the tfjs and Node typings now, so the first real
 * check (which reuses them) overlaps with loading specs instead of following it.
 */
export function warmTypecheck(projectRoot: string): void {
  void typecheckAsync(projectRoot, new Map([['__warm__.ts', "import * as tf from '@tensorflow/tfjs';\nexport const warm: tf.Tensor = tf.scalar(0);\n"]]));
}
