#!/usr/bin/env node
// `npm start`: set-up, then JupyterLab on notebooks/ with the project's TypeScript kernel (kernel/).
//
//   npm start                     JupyterLab (the classic Notebook when set-up could only find that);
//                                 prints the URL to open, /lab?token=...
//   npm start -- --classic        the classic Notebook interface instead (/tree)
//   npm start -- --port=9999      first port to try (default CLAB_PORT or 8888; the next free one is used,
//                                 also when another program takes it before Jupyter could bind it)
//   npm start -- --dir=PATH       serve PATH instead of notebooks/ (the notebooks import ../dist/lib,
//                                 so a folder beside notebooks/ keeps that working)
//   npm start -- --check          start, wait until the server lists the project's kernelspec, run
//                                 one TypeScript cell in a kernel through it, print the URL, stop;
//                                 exit 0 if all worked
//
// The server listens on 127.0.0.1 only, opens no browser, and uses the token from JUPYTER_TOKEN
// or a fresh random one. Its environment puts .jupyter-local/share/jupyter first on JUPYTER_PATH,
// so it finds this checkout's kernelspec.
//
// Stopping: SIGINT (Ctrl-C, once), SIGTERM or SIGHUP stop the server and every kernel it started,
// with or without a terminal. Jupyter runs in its own process group, so a Ctrl-C reaches only this
// script, which sends Jupyter SIGTERM (its clean shutdown: a SIGINT without a terminal makes it exit
// at once and leave its kernels running). Whatever still carries the server's environment marker
// afterwards is killed. A second signal skips the waiting.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { KERNEL_NAME, ROOT, setupOrExit } from './setup.mjs';
import { markedProcesses } from './start/marked_processes.mjs';

const READY_TIMEOUT_MS = 90_000;
/** How long Jupyter gets to shut its kernels down after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 20_000;
const MARK = 'CLAB_JUPYTER_SERVER';
const USAGE = 'usage: npm start -- [--classic] [--port=N] [--dir=PATH] [--check]';

function usage(message) {
  console.error(`start: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { check: false, classic: false, port: Number(process.env.CLAB_PORT || 8888), dir: path.join(ROOT, 'notebooks') };
  for (const arg of argv) {
    if (arg === '--check') opts.check = true;
    else if (arg === '--classic') opts.classic = true;
    else if (arg.startsWith('--port=')) opts.port = Number(arg.slice('--port='.length));
    // Relative to where the user typed the command (npm runs scripts from the package root).
    else if (arg.startsWith('--dir=')) opts.dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), arg.slice('--dir='.length));
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    usage(`--port (or CLAB_PORT) must be an integer in 1..65535, got ${opts.port}`);
  }
  if (fs.existsSync(opts.dir) && !fs.statSync(opts.dir).isDirectory()) usage(`--dir must be a folder, got the file ${opts.dir}`);
  if (!fs.existsSync(opts.dir) && opts.dir !== path.join(ROOT, 'notebooks')) usage(`--dir: no such folder ${opts.dir}`);
  return opts;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(first) {
  for (let port = first; port < first + 50 && port <= 65535; port++) if (await portIsFree(port)) return port;
  throw new Error(`start: no free port in ${first}..${first + 49}; pass --port=N`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(base, token, route, init = {}) {
  const res = await fetch(`${base}${route}`, {
    ...init,
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${route}: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** Polls until the server answers and lists the project's kernelspec; throws when the server died or time ran out. */
async function waitForKernelspec(base, token, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Jupyter exited with code ${server.exitCode} before it answered`);
    try {
      const specs = await api(base, token, '/api/kernelspecs');
      if (specs.kernelspecs?.[KERNEL_NAME]) return specs.kernelspecs[KERNEL_NAME];
      last = `it answers, but lists only: ${Object.keys(specs.kernelspecs ?? {}).join(', ')}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(500);
  }
  throw new Error(`Jupyter did not list the ${KERNEL_NAME} kernelspec within ${READY_TIMEOUT_MS / 1000}s (${last})`);
}

/**
 * Starts a TypeScript kernel through the server (as the browser does: REST, then the kernel's
 * websocket) and runs one typed cell in it. Needs WebSocket (`node --experimental-websocket` on
 * Node 20, built in from Node 22).
 */
async function checkKernelRuns(base, token) {
  if (typeof WebSocket === 'undefined') throw new Error('this Node has no WebSocket: run with node --experimental-websocket');
  const kernel = await api(base, token, '/api/kernels', { method: 'POST', body: JSON.stringify({ name: KERNEL_NAME }) });
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/kernels/${kernel.id}/channels?session_id=${randomBytes(8).toString('hex')}&token=${token}`);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the TypeScript kernel did not answer a cell within 60s')), 60_000);
      const msgId = randomBytes(8).toString('hex');
      let result = null;
      let status = null;
      // iopub (the result) and shell (the reply) are separate channels: either may come first.
      const settle = () => {
        if (status === null || result === null) return;
        clearTimeout(timer);
        if (status === 'ok' && result === '42') resolve(result);
        else reject(new Error(`the check cell failed: status ${status}, output ${JSON.stringify(result)}`));
      };
      ws.onerror = () => reject(new Error('websocket to the kernel failed'));
      ws.onopen = () => {
        const header = { msg_id: msgId, msg_type: 'execute_request', username: 'clab', session: msgId, version: '5.3', date: new Date().toISOString() };
        const content = { code: 'const clabCheck: number = 6 * 7;\nclabCheck', silent: false, store_history: false, user_expressions: {}, allow_stdin: false };
        ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] }));
      };
      ws.onmessage = (event) => {
        const msg = JSON.parse(String(event.data));
        if (msg.parent_header?.msg_id !== msgId) return;
        const type = msg.header.msg_type;
        // The cell's last value comes as execute_result; anything on a stream or an error is a failure.
        if (type === 'execute_result') result = String(msg.content.data['text/plain']).trim();
        if (type === 'stream') result = `${msg.content.name}: ${msg.content.text}`;
        if (type === 'error') result = `${msg.content.ename}: ${msg.content.evalue}`;
        if (type === 'execute_reply') {
          status = msg.content.status;
          // A reply with no result at all: wait briefly for a late iopub message, then report.
          setTimeout(() => {
            if (result === null) result = '(no output)';
            settle();
          }, 3000);
        }
        settle();
      };
    });
  } finally {
    ws.close();
    await api(base, token, `/api/kernels/${kernel.id}`, { method: 'DELETE' }).catch(() => {});
  }
}

/** The interface to open and how to start it, from what the chosen Python has. */
function frontEnd(jupyter, opts) {
  const lab = { name: 'JupyterLab', module: 'jupyterlab', page: 'lab', rootArg: `--ServerApp.root_dir=${opts.dir}` };
  const classic = Number.parseInt(jupyter.versions.notebook ?? '0', 10) >= 7
    ? { name: `Jupyter Notebook ${jupyter.versions.notebook}`, module: 'notebook', page: 'tree', rootArg: `--ServerApp.root_dir=${opts.dir}` }
    : { name: `Jupyter Notebook ${jupyter.versions.notebook}`, module: 'notebook', page: 'tree', rootArg: `--notebook-dir=${opts.dir}` };
  if (opts.classic) {
    if (jupyter.classic) return classic;
    console.error(`start: --classic needs the notebook package, which ${jupyter.python} lacks: ${jupyter.python} -m pip install 'notebook>=7'`);
    process.exit(2);
  }
  if (jupyter.lab) return lab;
  console.log(`[start] JupyterLab is not installed in ${jupyter.python} (see the set-up warning above): opening the classic Notebook`);
  return classic;
}

/**
 * Stops the server and everything it started: SIGTERM to Jupyter (it shuts its kernels down),
 * SIGKILL when it takes longer than STOP_TIMEOUT_MS (or `hurry`), then kills whatever still
 * carries the server's marker. Resolves to the number of processes that had to be killed.
 */
async function stopServer(server, markValue, hurry) {
  const exited = new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.once('exit', r)));
  if (server.exitCode === null && server.signalCode === null) {
    try {
      process.kill(server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timedOut = await Promise.race([exited.then(() => false), hurry.then(() => true), new Promise((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS).unref())]);
    if (timedOut) {
      console.log('[start] Jupyter did not stop in time: killing it');
      server.kill('SIGKILL');
      await exited;
    }
  }
  let left = markedProcesses(MARK, markValue);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 20 && left.length; i++) {
    await sleep(100);
    left = markedProcesses(MARK, markValue);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return left.length;
}

async function main() {
  // Whoever reads our output may be gone (a killed test runner, a closed pipe): a failed write
  // must not end this script before it has stopped the server.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  const opts = parseArgs(process.argv.slice(2));
  const jupyter = await setupOrExit();
  const ui = frontEnd(jupyter, opts);
  let port = await freePort(opts.port);
  const token = process.env.JUPYTER_TOKEN || randomBytes(24).toString('hex');
  fs.mkdirSync(opts.dir, { recursive: true }); // git keeps no empty folder: a clone may lack notebooks/
  const args = ['-m', ui.module, '--ip=127.0.0.1', '--port-retries=0', '--no-browser', ui.rootArg];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
  // The marker is inherited by every kernel the server starts: what still has it after the
  // server stopped is a left-over kernel.
  const markValue = `${process.pid}-${randomBytes(6).toString('hex')}`;
  let server = null;
  let log = '';

  let stopping = null;
  let stopAt = 0;
  let hurry = () => {};
  const hurried = new Promise((r) => (hurry = r));
  const stop = (why, code) => {
    if (stopping) {
      // One Ctrl-C in a terminal arrives twice: from the terminal and forwarded by npm.
      if (why && Date.now() - stopAt > 1000) {
        console.log(`[start] ${why} again: not waiting any longer`);
        hurry();
      }
      return stopping;
    }
    stopAt = Date.now();
    if (why) console.log(`[start] ${why}: stopping the server and its kernels (a second signal kills them at once)`);
    stopping = (server ? stopServer(server, markValue, hurried) : Promise.resolve(0)).then((killed) => {
      if (killed) console.log(`[start] killed ${killed} process(es) the server left running`);
      if (why) console.log('[start] stopped');
      process.exit(code);
    });
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(`got ${signal}`, 0));
  // Last resort (an uncaught error): at least ask Jupyter to stop; it shuts its kernels down.
  process.on('exit', () => server && server.exitCode === null && server.signalCode === null && server.kill('SIGTERM'));

  let base;
  let url;
  for (let attempt = 1; ; attempt++) {
    base = `http://127.0.0.1:${port}`;
    url = `${base}/${ui.page}?token=${token}`;
    console.log(`[start] ${ui.name} on ${path.relative(process.cwd(), opts.dir) || '.'}/ at ${base} ...`);
    // detached: Jupyter gets its own process group, so a terminal's Ctrl-C reaches only this script.
    // stdin ignored: Jupyter's behaviour must not depend on whether there is a terminal.
    // In --check mode Jupyter's own log is noise unless something fails: keep it to show then.
    server = spawn(jupyter.python, [...args, `--port=${port}`], {
      cwd: ROOT,
      env: { ...jupyter.env, JUPYTER_TOKEN: token, [MARK]: markValue },
      stdio: ['ignore', opts.check ? 'pipe' : 'inherit', opts.check ? 'pipe' : 'inherit'],
      detached: true,
    });
    log = '';
    if (opts.check) {
      server.stdout.on('data', (d) => (log += d));
      server.stderr.on('data', (d) => (log += d));
    }
    try {
      const spec = await waitForKernelspec(base, token, server);
      console.log(`[start] kernel: ${spec.spec.display_name} (${KERNEL_NAME}) -> ${spec.spec.argv.slice(0, 2).join(' ')}`);
      if (opts.check) {
        const t0 = Date.now();
        await checkKernelRuns(base, token);
        console.log(`[start] a TypeScript kernel started and ran \`const clabCheck: number = 6 * 7\` -> 42 in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      }
      console.log(`[start] ready: ${url}`);
      break;
    } catch (e) {
      if (stopping) return;
      // Another program (another npm start) may have taken the free port we found before
      // Jupyter could bind it: then try the next free one.
      if (server.exitCode !== null && attempt < 3 && !(await portIsFree(port))) {
        console.log(`[start] port ${port} was taken meanwhile; trying the next free port`);
        port = await freePort(port + 1);
        continue;
      }
      console.error(`[start] FAILED: ${e.message}`);
      if (log) console.error(log.trim().split('\n').slice(-30).join('\n'));
      await stop(null, 1);
    }
  }
  if (opts.check) {
    await stopServer(server, markValue, hurried);
    console.log('[start] --check passed; server stopped');
    process.exit(0);
  }
  console.log('[start] open the URL above; stop with Ctrl-C');
  server.on('exit', (code, signal) => {
    if (stopping) return;
    console.log(`[start] Jupyter exited (${signal ?? `code ${code}`})`);
    stop(null, code ?? 1);
  });
}

await main();
