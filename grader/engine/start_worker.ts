import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker thread `<dir>/<name>.js` (the compiled grader), or `<name>.ts` through tsx
 * when the grader runs from its sources: Node 20 workers do not inherit tsx's loader hooks, so
 * the worker registers tsx's CommonJS hook first.
 * @param dir the folder of the calling module (its `__dirname`)
 * @param name the worker's module name, without extension
 * @throws when the worker cannot be created
 */
export function startWorker(dir: string, name: string, workerData?: unknown): Worker {
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return new Worker(js, { workerData });
  const ts = path.join(dir, `${name}.ts`);
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`, { eval: true, execArgv: [], workerData });
}
