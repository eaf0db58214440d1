import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { ChildClock } from './child_clock';
import { childNodeArgs } from './code_cache_dir';
import { processTreeCpu } from './process_tree_cpu';
import { SandboxCommand } from './sandbox_command';
import type { SandboxDir } from './sandbox_files';

/** Limits for one child (its time limits are given per request, see start and call). */
export interface SandboxLimits {
  /** V8 heap cap (--max-old-space-size), MB. */
  memoryMb: number;
  /** Bytes of student stdout+stderr kept for feedback (the rest is counted and dropped). */
  outputBytes: number;
}

/** Time a request was charged on the child's fair clock (see ChildClock), ms. */
interface Charged {
  clockMs: number;
}

/**
 * The poisoned library exports the student's code called, as the child reported them (untrusted:
 * a child that hides one only keeps a verdict it could have had anyway; see runExercise).
 */
interface Blocked {
  blocked: string[];
}

/** What one request to the child ended with. */
export type CallOutcome = Charged & (({ kind: 'ok'; results: ChildCallResult[] } & Blocked) | { kind: 'timeout'; ms: number } | { kind: 'crash'; reason: string });

/** One student function call as reported by the child (still untrusted: validate before use). */
export interface ChildCallResult {
  ok: boolean;
  value?: unknown;
  error?: string;
  notes?: string[];
}

/** How a child start ended. */
export type StartOutcome = Charged &
  (
    | ({ kind: 'ready'; exports: Record<string, number | string> } & Blocked)
    | ({ kind: 'loadError'; message: string } & Blocked)
    /** load() only: an earlier exercise changed a built-in, tfjs or the library (`what`); nothing was loaded */
    | { kind: 'changed'; what: string }
    | { kind: 'timeout'; ms: number }
    | { kind: 'crash'; reason: string }
  );

const MAX_FRAME = 64 * 1024 * 1024;

/** The strings of an untrusted `blocked` field (anything else: none). */
function names(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 100) : [];
}

/**
 * One sandboxed child Node process running the harness on one student module. Messages come
 * only from fd 3 and must carry this run's nonce; stdout/stderr are captured (truncated) and
 * never parsed. Time limits are measured on the child's fair clock ({@link ChildClock}); a
 * timeout or crash kills the whole process group.
 */
export class SandboxProcess {
  /** CPU seconds of every child this process killed so far (for benchmarks; see processTreeCpu). */
  static cpuSeconds = 0;
  /** Children this process started so far (for benchmarks and tests). */
  static starts = 0;
  private child: ChildProcess | null = null;
  private clock: ChildClock | null = null;
  private nonce = randomBytes(24).toString('hex');
  private frame = '';
  private waiter: ((msg: Record<string, unknown> | { __exit: string }) => void) | null = null;
  private exitReason: string | null = null;
  private output = '';
  private outputTotal = 0;
  private nextId = 1;
  private killedAt: number | null = null;

  constructor(
    private readonly sandbox: SandboxDir,
    private readonly readablePackages: string[],
    private readonly command: SandboxCommand,
    private readonly limits: SandboxLimits,
    private readonly nodeModules: string,
    /** The code cache of the packages it loads (code_cache.ts), read-only, or null. */
    private readonly codeCache: string | null = null,
    /** The children's startup snapshot, tfjs preloaded (child_snapshot.ts), or null. */
    private readonly snapshot: string | null = null,
  ) {}

  /**
   * Spawns the child and loads `exercises/<jsFile>`; resolves when it is ready or failed.
   * @param limitMs time for Node, tfjs and the student's module to load, on the fair clock
   */
  async start(jsFile: string, poison: Array<[string, string]>, limitMs: number): Promise<StartOutcome> {
    // From the snapshot, tfjs is loaded already: the code cache is not needed.
    const codeCache = this.snapshot === null ? this.codeCache : null;
    const readable = [...this.sandbox.readable, ...this.readablePackages, ...(codeCache === null ? [] : [codeCache])];
    const args = [...this.command.prefix, ...childNodeArgs(this.limits.memoryMb, readable, this.snapshot, this.sandbox.harness)];
    const child = spawn(args[0], args.slice(1), {
      cwd: this.sandbox.dir,
      detached: true, // own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { NODE_PATH: this.nodeModules, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
    });
    this.child = child;
    SandboxProcess.starts++;
    if (child.pid !== undefined) this.clock = new ChildClock(child.pid);
    this.capture(child.stdout!);
    this.capture(child.stderr!);
    const channel = child.stdio[3] as Readable;
    channel.on('data', (chunk: Buffer) => this.onData(chunk));
    channel.on('error', () => undefined);
    child.on('error', (e) => this.onExit(`could not start: ${e.message}`));
    child.on('exit', (code, signal) =>
      this.onExit(signal ? `killed by ${signal}${signal === 'SIGKILL' ? '' : ''}` : `exited with code ${code}`),
    );
    this.send({ nonce: this.nonce, exercisesDir: this.exercisesDir(), modulePath: this.modulePath(jsFile), poison, codeCache });
    return this.loaded(undefined, limitMs);
  }

  /**
   * Loads another of the submission's files into this running child (its poison stays the one
   * {@link start} sent); later calls go to it. Resolves when it is ready or failed.
   * @param limitMs time for the module to load, on the fair clock
   */
  async load(jsFile: string, limitMs: number): Promise<StartOutcome> {
    if (!this.alive()) return { kind: 'crash', reason: this.exitReason ?? 'not started', clockMs: 0 };
    const id = this.nextId++;
    this.send({ id, load: this.modulePath(jsFile) });
    return this.loaded(id, limitMs);
  }

  /** Writes one message to the child's channel (fd 3), a line of JSON. */
  private send(msg: Record<string, unknown>): void {
    (this.child!.stdio[3] as unknown as { write(s: string): boolean }).write(JSON.stringify(msg) + '\n');
  }

  /** The compiled submission's folder, as the child sees it. */
  private exercisesDir(): string {
    return path.join(this.sandbox.dir, 'exercises');
  }

  /** Where `exercises/<jsFile>` is, as the hello and load messages name it. */
  private modulePath(jsFile: string): string {
    return path.join(this.exercisesDir(), jsFile);
  }

  /** Is the child running and not killed? */
  alive(): boolean {
    return this.child !== null && this.exitReason === null && this.killedAt === null;
  }

  /** Waits for the ready (or loadError) answer to the hello (id undefined) or to load `id`. */
  private async loaded(id: number | undefined, limitMs: number): Promise<StartOutcome> {
    const t0 = this.clockMs();
    for (;;) {
      const msg = await this.next(t0 + limitMs);
      const clockMs = this.clockMs() - t0;
      if ('__timeout' in msg) return { kind: 'timeout', ms: limitMs, clockMs };
      if ('__exit' in msg) return { kind: 'crash', reason: String(msg.__exit), clockMs };
      if (msg.id !== id) continue; // an answer to an earlier request that ran out of time
      if (msg.type === 'ready') return { kind: 'ready', exports: (msg.exports ?? {}) as Record<string, number | string>, blocked: names(msg.blocked), clockMs };
      if (msg.type === 'loadError') return { kind: 'loadError', message: String(msg.message), blocked: names(msg.blocked), clockMs };
      if (msg.type === 'changed' && id !== undefined) return { kind: 'changed', what: String(msg.what).slice(0, 200), clockMs };
      return { kind: 'crash', reason: 'sent an unexpected message', clockMs };
    }
  }

  /**
   * Calls `fn` once per argument list; the whole request shares one time limit.
   * @param timeoutMs the limit, on the fair clock
   */
  async call(fn: string, calls: unknown[][], timeoutMs: number): Promise<CallOutcome> {
    if (this.child === null || this.exitReason !== null) return { kind: 'crash', reason: this.exitReason ?? 'not started', clockMs: 0 };
    const id = this.nextId++;
    const t0 = this.clockMs();
    this.send({ id, fn, calls });
    for (;;) {
      const msg = await this.next(t0 + timeoutMs);
      const clockMs = this.clockMs() - t0;
      if ('__timeout' in msg) return { kind: 'timeout', ms: timeoutMs, clockMs };
      if ('__exit' in msg) return { kind: 'crash', reason: String(msg.__exit), clockMs };
      if (msg.type === 'result' && msg.id === id && Array.isArray(msg.results) && msg.results.length === calls.length) {
        return { kind: 'ok', results: msg.results as ChildCallResult[], blocked: names(msg.blocked), clockMs };
      }
    }
  }

  /** The child's fair clock so far, ms (frozen once it was killed). */
  clockMs(): number {
    if (this.clock === null) return 0;
    if (this.killedAt === null) return this.clock.ms();
    return this.killedAt;
  }

  /** Student output since the last call of this method (truncated), then resets it. */
  takeOutput(): { text: string; totalBytes: number } {
    const r = { text: this.output, totalBytes: this.outputTotal };
    this.output = '';
    this.outputTotal = 0;
    return r;
  }

  /** Kills the child's whole process group. Safe to call twice. */
  kill(): void {
    const c = this.child;
    if (c && c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      this.killedAt ??= this.clock?.ms() ?? 0;
      SandboxProcess.cpuSeconds += processTreeCpu(c.pid);
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        try {
          c.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }

  private capture(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => {
      this.outputTotal += chunk.length;
      if (this.output.length < this.limits.outputBytes) {
        this.output += chunk.toString('utf8').slice(0, this.limits.outputBytes - this.output.length);
      }
    });
    stream.on('error', () => undefined);
  }

  private onData(chunk: Buffer): void {
    this.frame += chunk.toString('utf8');
    if (this.frame.length > MAX_FRAME) {
      this.frame = '';
      this.kill();
      this.onExit('sent more than 64 MB in one message');
      return;
    }
    let nl: number;
    while ((nl = this.frame.indexOf('\n')) >= 0) {
      const line = this.frame.slice(0, nl);
      this.frame = this.frame.slice(nl + 1);
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        continue; // not from the harness: ignore
      }
      if (typeof msg !== 'object' || msg === null || (msg as { nonce?: unknown }).nonce !== this.nonce) continue;
      const w = this.waiter;
      this.waiter = null;
      if (w) w(msg as Record<string, unknown>);
    }
  }

  private onExit(reason: string): void {
    if (this.exitReason === null) this.exitReason = reason;
    const w = this.waiter;
    this.waiter = null;
    if (w) w({ __exit: this.exitReason });
  }

  /**
   * The next message, or a timeout once the fair clock reaches `untilMs`. The clock runs no
   * faster than wall time, so a timer for the time left never fires early; when it fires while
   * the child was kept waiting for a CPU, it is set again for what is left.
   */
  private next(untilMs: number): Promise<Record<string, unknown>> {
    if (this.exitReason !== null) return Promise.resolve({ __exit: this.exitReason });
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        const left = untilMs - this.clockMs();
        if (left > 0) {
          timer = setTimeout(arm, Math.max(left, 10));
          return;
        }
        this.waiter = null;
        this.kill();
        resolve({ __timeout: true });
      };
      this.waiter = (msg) => {
        clearTimeout(timer);
        resolve(msg as Record<string, unknown>);
      };
      arm();
    });
  }
}
