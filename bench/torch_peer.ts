import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { TorchPython } from './find_torch';

/** What the peer said about itself when it started. */
export interface PeerInfo {
  torch: string;
  threads: number;
  pml: string | null;
  python: string;
  /** The vector instructions torch's CPU kernels use here (`AVX2`, `AVX512`, ...), null if torch cannot say. */
  simd: string | null;
}

/**
 * The tfjs side's WASM threads for a comparison with torch: one, as the speed targets are set,
 * unless CLAB_THREADS says otherwise (then the peer gets as many); CLAB_BENCH_THREADS=default
 * takes the library's default choice (lib/backend/wasm_threads.ts: one thread).
 */
export const BENCH_THREADS: number | string | undefined = process.env.CLAB_BENCH_THREADS === 'default' ? undefined : (process.env.CLAB_THREADS ?? 1);

/** Wall and process CPU time of one step, in ms. */
export interface Timing {
  ms: number;
  cpuMs: number;
}

/**
 * bench/torch_peer.py as a child process: one JSON request line in, one answer line out, so the
 * benchmarks can alternate single repetitions between tfjs and torch under the same load.
 * Inputs travel as float32 files in a temporary folder (removed by {@link TorchPeer.close}).
 */
export class TorchPeer {
  private readonly pending: ((line: string) => void)[] = [];
  private closed: string | null = null;
  /** Scratch folder for inputs and gradients (float32 files). */
  readonly dir: string;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly info: PeerInfo) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-'));
  }

  /** One line for the output: torch's version, where it came from, its threads and vector instructions. */
  describe(torch: TorchPython): string {
    const n = this.info.threads;
    const simd = this.info.simd ? `, ${this.info.simd}` : '';
    return `torch ${this.info.torch} (${torch.source}: ${this.info.python}, ${n} thread${n === 1 ? '' : 's'}${simd})`;
  }

  /**
   * Starts the peer with `torch.python` and `threads` torch threads (the tfjs side's count);
   * rejects with the reason if it cannot start.
   */
  static async start(torch: TorchPython, threads = 1): Promise<TorchPeer> {
    const child = spawn(torch.python, [path.join(__dirname, 'torch_peer.py')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CLAB_PEER_THREADS: String(threads) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const lines: string[] = [];
    const waiting: ((line: string | null) => void)[] = [];
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
    const first = await new Promise<string | null>((resolve) => {
      waiting.push(resolve);
      child.on('close', () => resolve(null));
      child.on('error', () => resolve(null));
    });
    if (first === null || !first.includes('"ready"')) {
      child.kill();
      throw new Error(`bench: ${torch.python} bench/torch_peer.py did not start: ${(first ?? stderr).trim().split('\n').slice(-3).join(' | ')}`);
    }
    const peer = new TorchPeer(child, JSON.parse(first) as PeerInfo);
    rl.removeAllListeners('line');
    rl.on('line', (line) => peer.pending.shift()?.(line));
    child.on('close', (code) => {
      peer.closed = `exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      for (const p of peer.pending.splice(0)) p(JSON.stringify({ error: peer.closed }));
    });
    return peer;
  }

  /** Sends one request and returns the answer; throws the peer's error. */
  async request<T>(req: Record<string, unknown>): Promise<T> {
    if (this.closed !== null) throw new Error(`bench: the torch peer ${this.closed}`);
    const reply = new Promise<string>((resolve) => this.pending.push(resolve));
    this.child.stdin.write(JSON.stringify(req) + '\n');
    const r = JSON.parse(await reply) as T & { error?: string };
    if (r.error !== undefined) throw new Error(`bench: torch peer, ${String(req.op)} ${String(req.id ?? '')}: ${r.error}`);
    return r;
  }

  /** One timed step of a prepared case. */
  async step(id: string): Promise<Timing & { value: number }> {
    const r = await this.request<{ ms: number; cpu_ms: number; value: number }>({ op: 'step', id });
    return { ms: r.ms, cpuMs: r.cpu_ms, value: r.value };
  }

  /** Writes `data` as `<dir>/<name>.f32` (float32 little-endian) for the peer to read. */
  writeInput(name: string, data: Float32Array, subdir = ''): void {
    const folder = path.join(this.dir, subdir);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.f32`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Reads a float32 file the peer wrote. */
  readOutput(file: string): Float32Array {
    const b = fs.readFileSync(file);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  /** Ends the child and removes the scratch folder. */
  close(): void {
    if (this.closed === null) this.child.stdin.end();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
