// A minimal Jupyter client for the kernel's protocol tests: starts the kernel the registered
// kernelspec names (as Jupyter would: a connection file, the spec's argv and env, the notebook
// folder as working directory) and talks to it over ZeroMQ.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as zmq from 'zeromq';
import { ConnectionInfo, Message, Session } from '../wire';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The kernelspec set-up registers. */
export const KERNEL_SPEC = path.join(ROOT, '.jupyter-local', 'share', 'jupyter', 'kernels', 'clab-typescript', 'kernel.json');

/**
 * Rebuilds dist/ (the kernel with it) when a source changed, as set-up does; the tests run the
 * compiled kernel the kernelspec names. (setup.mjs is an ES module with top-level await, which
 * the tests' CommonJS cannot import: it runs in a child process.)
 */
export function ensureBuilt(): void {
  const code = `const m = await import(${JSON.stringify(path.join(ROOT, 'scripts', 'setup.mjs'))}); console.log(m.ensureBuild());`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building dist/ failed:\n${res.stdout}${res.stderr}`);
  if (!fs.existsSync(KERNEL_SPEC)) throw new Error(`no kernelspec at ${KERNEL_SPEC}: run npm run setup`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What one request produced: its reply and the IOPub messages between its busy and idle. */
export interface Exchange {
  reply: Message;
  iopub: Message[];
}

/** A kernel process and the sockets of one client. */
export class KernelClient {
  readonly session: Session;
  /** Every IOPub message received, in order. */
  readonly iopubLog: Message[] = [];
  private readonly replies = new Map<string, (m: Message) => void>();
  private readonly early = new Map<string, Message>();
  private readonly waiters: (() => void)[] = [];
  private stderrText = '';
  /** When IOPub first said idle (performance.now(), ms; the process started at `startedAt`). */
  firstIdleAt: number | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ConnectionInfo,
    private readonly dir: string,
    private readonly shell: zmq.Dealer,
    private readonly control: zmq.Dealer,
    private readonly iopub: zmq.Subscriber,
    /** When the process was started (performance.now(), ms). */
    readonly startedAt: number,
  ) {
    this.session = new Session(connection.key, connection.signature_scheme, 'test');
    child.stderr?.on('data', (d) => (this.stderrText += d));
    void this.read(shell);
    void this.read(control);
    void this.readIopub();
  }

  /**
   * Starts a kernel in `cwd` (default notebooks/) and waits until it answers: the registered
   * kernelspec's, or `spec` (argv with {connection_file}, env). Until then it asks for kernel_info
   * every `pollMs` (default 1000).
   */
  static async start(options: { cwd?: string; env?: Record<string, string>; spec?: { argv: string[]; env?: Record<string, string> }; pollMs?: number } = {}): Promise<KernelClient> {
    const spec = options.spec ?? (JSON.parse(fs.readFileSync(KERNEL_SPEC, 'utf8')) as { argv: string[]; env?: Record<string, string> });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-kernel-test-'));
    const ports = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
    const connection: ConnectionInfo = {
      transport: 'tcp',
      ip: '127.0.0.1',
      shell_port: ports[0],
      iopub_port: ports[1],
      stdin_port: ports[2],
      control_port: ports[3],
      hb_port: ports[4],
      key: randomBytes(16).toString('hex'),
      signature_scheme: 'hmac-sha256',
    };
    const file = path.join(dir, 'connection.json');
    fs.writeFileSync(file, JSON.stringify(connection));
    const argv = spec.argv.map((a) => (a === '{connection_file}' ? file : a));
    const startedAt = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd ?? path.join(ROOT, 'notebooks'), env: { ...process.env, ...spec.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const at = (port: number) => `tcp://127.0.0.1:${port}`;
    const shell = new zmq.Dealer();
    const control = new zmq.Dealer();
    const iopub = new zmq.Subscriber();
    shell.connect(at(connection.shell_port));
    control.connect(at(connection.control_port));
    iopub.connect(at(connection.iopub_port));
    iopub.subscribe();
    const client = new KernelClient(child, connection, dir, shell, control, iopub, startedAt);
    // As Jupyter's server does: ask for kernel_info until IOPub has delivered a message too.
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the kernel exited (${child.exitCode}):\n${client.stderrText}`);
      if (Date.now() > deadline) throw new Error(`the kernel did not answer within 120 s:\n${client.stderrText}`);
      const id = await client.send('shell', 'kernel_info_request', {});
      const reply = await Promise.race([client.reply(id), sleep(options.pollMs ?? 1000).then(() => null)]);
      if (reply !== null && client.iopubLog.length > 0) return client;
    }
  }

  get stderr(): string {
    return this.stderrText;
  }

  private async read(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const msg = this.session.decode(frames);
        const id = (msg.parent_header as { msg_id?: string }).msg_id ?? '';
        const waiting = this.replies.get(id);
        if (waiting) {
          this.replies.delete(id);
          waiting(msg);
        } else this.early.set(id, msg);
      }
    } catch {
      /* closed */
    }
  }

  private async readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const msg = this.session.decode(frames);
        this.iopubLog.push(msg);
        if (this.firstIdleAt === null && msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') this.firstIdleAt = performance.now();
        this.waiters.splice(0).forEach((w) => w());
      }
    } catch {
      /* closed */
    }
  }

  /** Sends a request; resolves to its msg_id. */
  async send(channel: 'shell' | 'control', type: string, content: Record<string, unknown>): Promise<string> {
    const msg = this.session.make(type, content, null);
    await (channel === 'shell' ? this.shell : this.control).send(this.session.encode(msg));
    return msg.header.msg_id;
  }

  /** The reply to request `id`. */
  reply(id: string, timeoutMs = 120_000): Promise<Message> {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${id} within ${timeoutMs} ms; kernel stderr:\n${this.stderrText}`)), timeoutMs);
      this.replies.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  /** IOPub messages whose parent is `id`. */
  messagesFor(id: string): Message[] {
    return this.iopubLog.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === id);
  }

  /** Resolves once IOPub has said idle for request `id`; returns its IOPub messages. */
  async idle(id: string, timeoutMs = 120_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const msgs = this.messagesFor(id);
      if (msgs.some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle')) return msgs;
      if (Date.now() > deadline) throw new Error(`no idle for ${id} within ${timeoutMs} ms; kernel stderr:\n${this.stderrText}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** Resolves once `pred` holds for some IOPub message of request `id`. */
  async until(id: string, pred: (m: Message) => boolean, timeoutMs = 120_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messagesFor(id).find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching IOPub message for ${id} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** Runs `code`; resolves to the reply and the IOPub messages up to idle. */
  async execute(code: string, extra: Record<string, unknown> = {}): Promise<Exchange> {
    const id = await this.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra });
    const reply = await this.reply(id);
    return { reply, iopub: await this.idle(id) };
  }

  /** Sends `text` to the heartbeat channel; resolves to what came back (rejects after `timeoutMs`). */
  async heartbeat(text: string, timeoutMs: number): Promise<string> {
    const socket = new zmq.Request({ receiveTimeout: timeoutMs, linger: 0 });
    socket.connect(`tcp://127.0.0.1:${this.connection.hb_port}`);
    try {
      await socket.send(text);
      const [echo] = await socket.receive();
      return echo.toString();
    } finally {
      socket.close();
    }
  }

  /** Asks the kernel to shut down; resolves to its exit code (killed after `timeoutMs`). */
  async shutdown(timeoutMs = 15_000): Promise<number | null> {
    const exited = new Promise<number | null>((r) => (this.child.exitCode !== null ? r(this.child.exitCode) : this.child.once('exit', (code) => r(code))));
    if (this.child.exitCode === null) await this.send('control', 'shutdown_request', { restart: false });
    const code = await Promise.race([exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
    this.close();
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`the kernel did not exit within ${timeoutMs} ms of shutdown_request`);
    }
    return code;
  }

  /** Closes the sockets, kills the kernel if it still runs, removes the connection file. */
  close(): void {
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The text of stream messages of one name. */
export function streamText(msgs: Message[], name: 'stdout' | 'stderr'): string {
  return msgs.filter((m) => m.header.msg_type === 'stream' && m.content.name === name).map((m) => String(m.content.text)).join('');
}

/** Traceback lines without ANSI colours. */
export function plainTraceback(content: Record<string, unknown>): string {
  return (content.traceback as string[]).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
}
