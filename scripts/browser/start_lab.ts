// Starts JupyterLab for the browser suite through the project's own start script, on copies.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free_port';
import { markedProcesses } from '../start/marked_processes.mjs';

const ROOT = path.resolve(__dirname, '..', '..');
/** Copies live in a folder beside notebooks/ so that the notebooks' `../dist/lib` resolves. */
const COPY_PREFIX = '.clab-browser-';
/** Every process of the server (kernels included) inherits this variable: how leftovers are found. */
const MARK = 'CLAB_BROWSER_SUITE';

/** Options for {@link startLab}. */
export interface StartLabOptions {
  /** Committed notebooks to copy in, by file name (e.g. '01-contrastive-learning.ipynb'). */
  notebooks: string[];
  /** Extra notebooks the test makes, by file name -> nbformat JSON. */
  extra?: Record<string, unknown>;
  /** How long start-up may take, in ms (default 180 000: set-up, server, kernelspec check). */
  timeoutMs?: number;
}

/** A running JupyterLab; `stop()` ends it and every kernel it started. */
export interface RunningLab {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  token: string;
  /** The folder the server serves (the copies). */
  dir: string;
  /** What start.mjs and Jupyter printed so far. */
  log(): string;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Copy folders of earlier runs that were killed before they could clean up. */
function removeStaleCopies(): void {
  for (const name of fs.readdirSync(ROOT)) {
    const pid = Number(name.slice(COPY_PREFIX.length));
    if (name.startsWith(COPY_PREFIX) && Number.isInteger(pid) && !alive(pid)) fs.rmSync(path.join(ROOT, name), { recursive: true, force: true });
  }
}

/** PIDs whose environment holds MARK=value (Linux /proc; empty elsewhere). */
const marked = (value: string): number[] => markedProcesses(MARK, value);

/**
 * JupyterLab user settings for the suite, in a folder of its own (the user's settings and
 * workspaces are neither read nor changed): no autosave (nothing is written back unless the suite
 * saves). Everything else is as set-up leaves it for a student (no news prompt: the suite checks).
 */
function writeSettings(dir: string): void {
  const put = (plugin: string, file: string, value: object) => {
    fs.mkdirSync(path.join(dir, plugin), { recursive: true });
    fs.writeFileSync(path.join(dir, plugin, `${file}.jupyterlab-settings`), JSON.stringify(value));
  };
  put('@jupyterlab/docmanager-extension', 'plugin', { autosave: false });
}

/**
 * Starts JupyterLab with `node scripts/start.mjs --dir=<copies> --port=<free>` (the script
 * `npm start` runs), serving copies of the given notebooks in a fresh folder beside notebooks/,
 * so the committed notebooks are never opened by the server.
 * @example const lab = await startLab({notebooks: ['01-contrastive-learning.ipynb']}); ...; await lab.stop();
 */
export async function startLab(options: StartLabOptions): Promise<RunningLab> {
  removeStaleCopies();
  const dir = path.join(ROOT, `${COPY_PREFIX}${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  for (const name of options.notebooks) fs.copyFileSync(path.join(ROOT, 'notebooks', name), path.join(dir, name));
  for (const [name, nb] of Object.entries(options.extra ?? {})) fs.writeFileSync(path.join(dir, name), JSON.stringify(nb, null, 1));
  const settings = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-lab-settings-'));
  writeSettings(settings);
  const markValue = randomBytes(8).toString('hex');
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--experimental-websocket', path.join(ROOT, 'scripts', 'start.mjs'), `--port=${port}`, `--dir=${dir}`], {
    cwd: ROOT,
    env: {
      ...process.env,
      JUPYTER_TOKEN: token,
      JUPYTERLAB_SETTINGS_DIR: settings,
      JUPYTERLAB_WORKSPACES_DIR: settings,
      [MARK]: markValue,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  // If this process ends without stop() (mocha killed, or playwright exiting on a signal): ask
  // start.mjs to stop (it stops Jupyter and the kernels on its own) and remove the copies.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(settings, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // start.mjs stops Jupyter and its kernels
        const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000).unref())]);
        if (!inTime) child.kill('SIGKILL');
      }
      for (const pid of marked(markValue)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(settings, { recursive: true, force: true });
      process.off('exit', onExit); // only now: the process may exit while this is under way
    })());

  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  try {
    for (;;) {
      if (/\[start\] ready: /.test(log)) break;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`scripts/start.mjs exited before it was ready:\n${log.trim().split('\n').slice(-30).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`scripts/start.mjs was not ready within ${(options.timeoutMs ?? 180_000) / 1000}s:\n${log.trim().split('\n').slice(-30).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { base: `http://127.0.0.1:${port}`, token, dir, log: () => log, stop };
}
