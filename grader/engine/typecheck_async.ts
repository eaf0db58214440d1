import type { Worker } from 'node:worker_threads';
import { startWorker } from './start_worker';
import { markSnapshotFailed, startTypecheckServer } from './typecheck_snapshot';

type Diagnostics = Map<string, string[]>;
interface Request {
  id: number;
  projectRoot: string;
  files: Array<[string, string]>;
}
interface Answer {
  id: number;
  ok: boolean;
  diagnostics?: Array<[string, string[]]>;
  error?: string;
}

/**
 * Where this process's type-checks run: the type-check server (a process started from this
 * environment's snapshot, or one that builds the snapshot after serving; typecheck_snapshot.ts),
 * or a worker thread when there is no server. Both run typecheck_submission.ts: same findings.
 */
interface Checker {
  kind: 'snapshot' | 'build' | 'worker';
  post(req: Request): void;
  ref(): void;
  unref(): void;
  /** Ends it; resolves when this process no longer waits for it. */
  stop(): Promise<void>;
}

let checker: Checker | null = null;
let nextId = 1;
const pending = new Map<number, { req: Request; done: (r: Diagnostics) => void }>();

function answer(m: Answer): void {
  const p = pending.get(m.id);
  pending.delete(m.id);
  if (!p) return;
  p.done(m.ok ? new Map(m.diagnostics) : new Map([['*', [`type check could not run: ${m.error}`]]]));
}

function failAll(why: string): void {
  for (const [id] of pending) answer({ id, ok: false, error: why });
}

function workerChecker(): Checker | null {
  let w: Worker;
  try {
    w = startWorker(__dirname, 'typecheck_worker');
  } catch {
    return null;
  }
  const c: Checker = {
    kind: 'worker',
    post: (req) => w.postMessage(req),
    ref: () => w.ref(),
    unref: () => w.unref(),
    stop: async () => {
      await w.terminate();
    },
  };
  w.on('message', answer);
  w.on('error', () => {
    if (checker === c) checker = null;
    failAll('the worker crashed');
  });
  return c;
}

/**
 * The type-check server as a Checker. If it cannot start or ends before answering, the snapshot
 * is marked failed for this environment and the requests it had go to a worker thread instead,
 * so a broken snapshot costs time, never a finding.
 */
function serverChecker(projectRoot: string): Checker | null {
  let started;
  try {
    started = startTypecheckServer(projectRoot);
  } catch {
    return null;
  }
  if (started === null) return null;
  const { child, kind } = started;
  const streams = [child.stdout!, child.stdin!] as Array<NodeJS.ReadableStream & { ref?: () => void; unref?: () => void }>;
  let ended = false;
  const c: Checker = {
    kind,
    post: (req) => child.stdin!.write(JSON.stringify(req) + '\n'),
    ref: () => {
      child.ref();
      for (const s of streams) s.ref?.();
    },
    unref: () => {
      child.unref();
      for (const s of streams) s.unref?.();
    },
    stop: async () => {
      ended = true;
      child.stdin!.end();
      // A builder goes on to save the snapshot in the background; a server ends at once.
      if (kind === 'build' || child.exitCode !== null || child.signalCode !== null) {
        c.unref();
        return;
      }
      await new Promise<void>((resolve) => child.once('close', () => resolve()));
    },
  };
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      answer(JSON.parse(line) as Answer);
    }
  });
  child.stdin!.on('error', () => {
    /* it ended: 'close' below hands its requests on */
  });
  const onGone = (why: string): void => {
    if (ended && pending.size === 0) return;
    if (checker === c) checker = null;
    if (kind === 'snapshot' || pending.size > 0) markSnapshotFailed(projectRoot, why);
    const requests = [...pending.values()].map((p) => p.req);
    const w = requests.length > 0 ? workerChecker() : null;
    if (w === null) return failAll(why);
    checker = w;
    for (const req of requests) w.post(req);
  };
  child.on('error', (e) => onGone(`the type-check server did not start: ${e.message}`));
  child.on('close', (code, signal) => onGone(`the type-check server ended (${signal ?? `exit ${code}`})`));
  return c;
}

function getChecker(projectRoot: string): Checker | null {
  checker ??= serverChecker(projectRoot) ?? workerChecker();
  return checker;
}

/**
 * {@link typecheckSubmission} off this thread (a server process or a worker thread, one per
 * process, kept warm), so type-checking overlaps with the sandboxed tests. Falls back to this
 * thread if neither can start.
 */
export function typecheckAsync(projectRoot: string, files: Map<string, string>): Promise<Map<string, string[]>> {
  const c = getChecker(projectRoot);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (c === null) return Promise.resolve((require('./typecheck_submission') as typeof import('./typecheck_submission')).typecheckSubmission(projectRoot, files));
  const req: Request = { id: nextId++, projectRoot, files: [...files] };
  return new Promise<Diagnostics>((done) => {
    pending.set(req.id, { req, done });
    c.ref();
    c.post(req);
  }).then((r) => {
    // Idle again: let the process end without it. Not once it is being stopped: stop() has
    // ref'ed it so the process waits for it to end, and an answer that was already queued would
    // undo that (the event loop empties and the process exits 0 before its exit code is set).
    if (pending.size === 0 && checker !== null) checker.unref();
    return r;
  });
}

/** Stops the type-check worker or server (tests, or before exit); the process stays alive until it has ended. */
export async function stopTypecheckWorker(): Promise<void> {
  const c = checker;
  checker = null; // first: answers that arrive while it stops no longer unref it
  if (c) {
    c.ref();
    await c.stop();
  }
}

/** Which kind of checker this process type-checks with now (tests, benchmarks), or null before the first. */
export function typecheckBackend(): Checker['kind'] | null {
  return checker?.kind ?? null;
}

/**
 * Starts the type-checker now, so that its start overlaps with loading the specs instead of
 * following it. A worker thread or a snapshot builder also parses the tfjs and Node typings now
 * (a server from a snapshot has them already).
 */
export function warmTypecheck(projectRoot: string): void {
  const c = getChecker(projectRoot);
  if (c === null || c.kind === 'snapshot') return;
  void typecheckAsync(projectRoot, new Map([['__warm__.ts', "import * as tf from '@tensorflow/tfjs';\nexport const warm: tf.Tensor = tf.scalar(0);\n"]]));
}
