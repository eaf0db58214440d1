// The kernel's main thread: the shell and stdin sockets, and the requests on shell taken one at a
// time in the order they came, each between a busy and an idle status of its own (with Run All,
// the front end shows Busy until the last queued cell is done). The heartbeat, the control channel
// and IOPub (every output goes there) run in io_thread.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as zmq from 'zeromq';
import type { IoCommand, IoEvent, IoThreadData } from './io_thread';
import { Executor, WATCHER_FAILURE } from './executor';
import { History, HistoryRequest } from './history';
import { sharedFlags } from './interrupt_flags';
import { isComplete } from './is_complete';
import { DisplayOptions, KERNEL_API, KernelApi } from './kernel_api';
import { bundleOf, displayBundleOf, MimeBundle } from './rich_value';
import { ErrorContent, Tracebacks } from './traceback';
import { channelAddress, ConnectionInfo, Message, Outbox, PROTOCOL_VERSION, Session } from './wire';

/** A cell that asks for help on a name, as in IPython: `Math.max?` or `?Math.max` (not TypeScript). */
const HELP = /^\s*(?:\?\s*([\w$.]+)|([\w$.]+)\s*\?)\s*$/;
/** After a failing cell, requests still arriving within this time count as queued behind it. */
const ABORT_SETTLE_MS = 20;

/** Where the kernel runs from and what it reports about itself. */
export interface KernelOptions {
  connection: ConnectionInfo;
  /** The notebook's folder (the kernel's working directory). */
  cwd: string;
  /** Paths under it are printed relative to it in tracebacks. */
  projectRoot: string;
  /** The kernel_info_reply content. */
  kernelInfo: Record<string, unknown>;
}

/** A running kernel. {@link Kernel.start} binds the sockets; the process ends at shutdown. */
export class Kernel {
  private readonly session: Session;
  private readonly shell = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly shellOut = new Outbox(this.shell, (what, e) => this.log(`sending ${what} failed: ${e.message}`));
  private readonly flags = sharedFlags();
  private readonly executor: Executor;
  /** Knows every cell that ran, so a traceback points into cells, also for errors after a cell ended. */
  private readonly tracebacks: Tracebacks;
  private readonly history = new History();
  private worker: Worker | null = null;
  private readonly queue: Message[] = [];
  private readonly aborted = new WeakSet<Message>();
  private draining = false;
  private executionCount = 0;
  private quietRuns = 0;
  /** The request outputs belong to: the running cell, or the last one (late output of timers). */
  private parent: Message | null = null;
  /** The process's own stderr, kept before cells' output is captured: the kernel's log. */
  private readonly logWrite = process.stderr.write.bind(process.stderr);
  private stopping: Promise<void> | null = null;
  private readonly reported = new WeakSet<object>();

  constructor(private readonly options: KernelOptions) {
    this.session = new Session(options.connection.key, options.connection.signature_scheme);
    const hidden = [__dirname, path.dirname(require.resolve('tslab/package.json'))];
    this.tracebacks = new Tracebacks(options.projectRoot, hidden);
    this.executor = new Executor({ cwd: options.cwd, flags: this.flags, tracebacks: this.tracebacks, log: (t) => this.log(t) });
  }

  /** Writes to the kernel's own stderr (the Jupyter server's log), never to a cell. */
  log(text: string): void {
    this.logWrite(`[kernel] ${text}\n`);
  }

  /** Binds the channels (the IO thread binds its own), creates the compiler, then takes requests. */
  async start(): Promise<void> {
    const c = this.options.connection;
    await Promise.all([this.shell.bind(channelAddress(c, 'shell')), this.stdin.bind(channelAddress(c, 'stdin'))]);
    process.on('SIGINT', () => this.executor.signal());
    // An error nobody caught must not end the kernel. The capture callback replaces the
    // 'uncaughtException' event, whose listeners include one tfjs's WASM backend adds that throws
    // again (and so would end the process); that backend's 'unhandledRejection' listener throws
    // too, which lands here as well.
    process.setUncaughtExceptionCaptureCallback((e) => this.late(e));
    process.on('unhandledRejection', (e) => this.late(e));
    this.captureStreams();
    this.installApi();
    const io = this.startIoThread();
    // The compiler loads its libraries before the first request is read (about a second; a request
    // that arrives meanwhile waits in the socket), while the IO thread starts on another core.
    this.executor.start();
    await io;
    void this.readShell();
  }

  /** An error nobody caught (a timer, a promise left behind): shown where output goes now. */
  private late(e: unknown): void {
    if (typeof e === 'object' && e !== null) {
      if (this.reported.has(e)) return; // an unhandled rejection, thrown again by a listener
      this.reported.add(e);
    }
    if (e instanceof Error && WATCHER_FAILURE.test(e.message) && /tslab[\\/]dist[\\/]converter/.test(e.stack ?? '')) {
      this.log(`converter: ${e.message} in its file watcher (a file it watches changed); the next cell starts a new one`);
      this.executor.converterFailed();
      return;
    }
    const error = this.tracebacks.fromThrown(e);
    this.publish('stream', { name: 'stderr', text: `${[`Uncaught (in the background): ${error.ename}: ${error.evalue}`, ...error.traceback.slice(1)].join('\n')}\n` });
  }

  private async startIoThread(): Promise<void> {
    const data: IoThreadData = { connection: this.options.connection, session: this.session.id, kernelInfo: this.options.kernelInfo, flags: this.flags.buffer as SharedArrayBuffer };
    const file = path.join(__dirname, `io_thread${path.extname(__filename)}`);
    // Under tsx (the tests run the sources) the thread needs tsx's loader too.
    const execArgv = file.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
    const worker = new Worker(file, { workerData: data, execArgv });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (event: IoEvent) => {
        if (event.type === 'ready') resolve();
        else if (event.type === 'interrupt') this.executor.interrupt(event.run);
        else if (event.type === 'shutdown') void this.stop();
        else if (event.type === 'log') this.log(event.text);
      });
    });
    worker.on('error', (e) => this.log(`io thread failed: ${e.stack ?? e}`));
  }

  // ------------------------------------------------------------------ output

  /** Hands a message to the IO thread (it sends it in order, also while this thread computes). */
  private toIo(command: IoCommand): void {
    this.worker?.postMessage(command);
  }

  private captureStreams(): void {
    for (const name of ['stdout', 'stderr'] as const) {
      (process[name] as { write: unknown }).write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        if (text !== '') this.toIo({ type: 'stream', name, text, parent: this.parent?.header ?? null });
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') process.nextTick(done as () => void);
        return true;
      };
    }
  }

  /** Sends an IOPub message about `parent` (default: the request outputs belong to now). */
  private publish(type: string, content: Record<string, unknown>, parent: Message | null = this.parent): void {
    this.toIo({ type: 'publish', msgType: type, content, parent: parent?.header ?? null });
  }

  private reply(request: Message, type: string, content: Record<string, unknown>): void {
    this.shellOut.send(this.session.encode(this.session.make(type, content, request)), type);
  }

  private status(state: 'busy' | 'idle', request: Message): void {
    this.publish('status', { execution_state: state }, request);
  }

  /** Sends display_data (or update_display_data) for the running cell. */
  private sendDisplay(data: MimeBundle, options: DisplayOptions): void {
    const transient = options.displayId !== undefined ? { display_id: options.displayId } : {};
    this.publish(options.update === true ? 'update_display_data' : 'display_data', { data, metadata: options.metadata ?? {}, transient });
  }

  private installApi(): void {
    const api: KernelApi = {
      protocol: 1,
      display: (value, options = {}) => {
        if (options.update === true && options.displayId === undefined) throw new TypeError('display: update needs a displayId (the output to replace), got none');
        const bundle = displayBundleOf(value, options.raw === true);
        if (bundle instanceof Promise) return bundle.then((b) => this.sendDisplay(b, options));
        this.sendDisplay(bundle, options);
      },
      clearOutput: (options = {}) => this.publish('clear_output', { wait: options.wait === true }),
      checkInterrupt: () => this.executor.checkInterrupt(),
    };
    Object.defineProperty(globalThis, KERNEL_API, { value: Object.freeze(api), configurable: true });
  }

  // ------------------------------------------------------------------ shell

  private async readShell(): Promise<void> {
    try {
      for await (const frames of this.shell) {
        let msg: Message;
        try {
          msg = this.session.decode(frames);
        } catch (e) {
          this.log(`shell: dropped a message: ${(e as Error).message}`);
          continue;
        }
        this.queue.push(msg);
        if (!this.draining) void this.drain();
      }
    } catch (e) {
      if (this.stopping === null) this.log(`shell socket failed: ${(e as Error).message}`);
    }
  }

  /** Handles queued requests one at a time, in order. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let msg; (msg = this.queue.shift()); ) {
        this.status('busy', msg);
        try {
          await this.handle(msg);
        } catch (e) {
          this.log(`${msg.header.msg_type} failed: ${(e as Error).stack ?? e}`);
        }
        this.status('idle', msg);
      }
    } finally {
      this.draining = false;
    }
  }

  private async handle(msg: Message): Promise<void> {
    const content = msg.content;
    switch (msg.header.msg_type) {
      case 'kernel_info_request':
        return this.reply(msg, 'kernel_info_reply', this.options.kernelInfo);
      case 'execute_request':
        return this.aborted.has(msg) ? this.reply(msg, 'execute_reply', { status: 'aborted' }) : this.execute(msg);
      case 'complete_request':
        return this.complete(msg);
      case 'inspect_request':
        return this.inspect(msg);
      case 'is_complete_request':
        return this.reply(msg, 'is_complete_reply', isComplete(String(content.code ?? '')));
      case 'history_request':
        return this.reply(msg, 'history_reply', { status: 'ok', history: this.history.query(content as HistoryRequest) });
      case 'comm_info_request':
        return this.reply(msg, 'comm_info_reply', { status: 'ok', comms: {} });
      case 'shutdown_request':
        this.reply(msg, 'shutdown_reply', { status: 'ok', restart: content.restart === true });
        void this.stop();
        return;
      case 'comm_open':
        // No comm targets here: say so, as the spec asks, so the front end does not wait.
        this.publish('comm_close', { comm_id: content.comm_id, data: {} }, msg);
        return;
      case 'comm_msg':
      case 'comm_close':
        return;
      default:
        this.log(`shell: ${msg.header.msg_type} is not supported; ignored`);
    }
  }

  private async execute(msg: Message): Promise<void> {
    const code = String(msg.content.code ?? '');
    const silent = msg.content.silent === true;
    const storeHistory = !silent && msg.content.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    this.parent = msg;
    if (!silent) this.publish('execute_input', { code, execution_count: count });
    const help = HELP.exec(code);
    if (help !== null) return this.page(msg, code, help[1] ?? help[2], count, storeHistory);
    const name = storeHistory ? `In[${count}]` : `In[~${++this.quietRuns}]`;
    const result = await this.executor.run(code, name);
    let error: ErrorContent | null = result.status === 'error' ? result.error : null;
    let output: string | null = null;
    if (result.status === 'ok' && result.value !== undefined && !silent) {
      try {
        const data = await bundleOf(result.value);
        output = typeof data['text/plain'] === 'string' ? data['text/plain'] : null;
        this.publish('execute_result', { execution_count: count, data, metadata: {} });
      } catch (e) {
        error = this.tracebacks.fromThrown(e);
      }
    }
    if (storeHistory) this.history.add(count, code, output);
    if (error !== null) {
      if (!silent) this.publish('error', { ...error });
      this.reply(msg, 'execute_reply', { status: 'error', execution_count: count, ...error });
      if (msg.content.stop_on_error !== false) await this.abortQueued();
      return;
    }
    const userExpressions = await this.userExpressions(msg.content.user_expressions);
    this.reply(msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: userExpressions, payload: [] });
  }

  /** `name?` or `?name`: what the compiler knows about it, for the front end's pager. */
  private page(msg: Message, code: string, name: string, count: number, storeHistory: boolean): void {
    const text = this.executor.inspect(name, name.length) ?? `no information about ${name}`;
    if (storeHistory) this.history.add(count, code, null);
    this.reply(msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [{ source: 'page', data: { 'text/plain': text }, start: 0 }] });
  }

  /**
   * After a failing cell, the cells queued behind it are not run (Run All stops there): each gets
   * an "aborted" reply. Requests that are already on their way count as queued.
   */
  private async abortQueued(): Promise<void> {
    await new Promise((r) => setTimeout(r, ABORT_SETTLE_MS));
    for (const queued of this.queue) if (queued.header.msg_type === 'execute_request') this.aborted.add(queued);
  }

  private async userExpressions(expressions: unknown): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    if (typeof expressions !== 'object' || expressions === null) return out;
    for (const [key, expression] of Object.entries(expressions as Record<string, unknown>)) {
      const result = await this.executor.run(String(expression), `user_expressions[${JSON.stringify(key)}]`);
      try {
        out[key] = result.status === 'ok' ? { status: 'ok', data: await bundleOf(result.value), metadata: {} } : { status: 'error', ...result.error };
      } catch (e) {
        out[key] = { status: 'error', ...this.tracebacks.fromThrown(e) };
      }
    }
    return out;
  }

  private complete(msg: Message): void {
    const code = String(msg.content.code ?? '');
    const cursor = toUtf16(code, typeof msg.content.cursor_pos === 'number' ? msg.content.cursor_pos : null);
    const info = this.executor.complete(code, cursor);
    this.reply(msg, 'complete_reply', {
      status: 'ok',
      matches: info.candidates,
      cursor_start: toCodePoints(code, info.start),
      cursor_end: toCodePoints(code, info.end),
      metadata: {},
    });
  }

  private inspect(msg: Message): void {
    const code = String(msg.content.code ?? '');
    const cursor = toUtf16(code, typeof msg.content.cursor_pos === 'number' ? msg.content.cursor_pos : null);
    const text = this.executor.inspect(code, cursor);
    this.reply(msg, 'inspect_reply', { status: 'ok', found: text !== null, data: text === null ? {} : { 'text/plain': text }, metadata: {} });
  }

  // ------------------------------------------------------------------ shutdown

  /** Stops the control thread, closes the sockets and ends the process. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.executor.close();
      // Let the last replies leave before the sockets close.
      await new Promise((r) => setTimeout(r, 50));
      const worker = this.worker;
      if (worker !== null) {
        const exited = new Promise((r) => worker.once('exit', r));
        this.toIo({ type: 'stop' });
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }
      for (const socket of [this.shell, this.stdin]) socket.close();
      process.exit(0);
    })();
    return this.stopping;
  }
}

/** A cursor position in Unicode code points (the protocol's unit since 5.2) as a UTF-16 offset. */
export function toUtf16(code: string, cursor: number | null): number {
  if (cursor === null) return code.length;
  let offset = 0;
  for (let points = 0; points < cursor && offset < code.length; points++) offset += code.codePointAt(offset)! > 0xffff ? 2 : 1;
  return offset;
}

/** A UTF-16 offset in code points. */
export function toCodePoints(code: string, offset: number): number {
  return [...code.slice(0, offset)].length;
}

/** The TypeScript version tslab's converter compiles cells with, and tslab's own. */
export function toolVersions(): { typescript: string; tslab: string } {
  const read = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  return { typescript: read('@tslab/typescript-for-tslab'), tslab: read('tslab') };
}

export { PROTOCOL_VERSION };
