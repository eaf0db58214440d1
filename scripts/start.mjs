#!/usr/bin/env node
// `npm start`: set-up, then Jupyter on notebooks/ with the TypeScript (tslab) kernel.
//
//   npm start                     JupyterLab if installed, else Jupyter Notebook; prints the URL
//   npm start -- --port=9999      first port to try (default CLAB_PORT or 8888; next free one is used)
//   npm start -- --check          start, wait until the server lists the tslab kernelspec, run one
//                                 TypeScript cell in a kernel through it, print the URL, stop;
//                                 exit 0 if all worked
//
// The server listens on 127.0.0.1 only, opens no browser, and uses the token from JUPYTER_TOKEN
// or a fresh random one. Its environment puts .jupyter-local/share/jupyter first on JUPYTER_PATH,
// so it finds this checkout's tslab kernelspec.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, setupOrExit } from './setup.mjs';

const READY_TIMEOUT_MS = 90_000;

function parseArgs(argv) {
  const opts = { check: false, port: Number(process.env.CLAB_PORT || 8888) };
  for (const arg of argv) {
    if (arg === '--check') opts.check = true;
    else if (arg.startsWith('--port=')) opts.port = Number(arg.slice('--port='.length));
    else {
      console.error(`start: unknown argument ${arg}\nusage: npm start -- [--port=N] [--check]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    console.error(`start: --port (or CLAB_PORT) must be an integer in 1..65535, got ${opts.port}`);
    process.exit(2);
  }
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

/** Polls until the server answers and lists tslab; throws when the server died or time ran out. */
async function waitForKernelspec(base, token, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Jupyter exited with code ${server.exitCode} before it answered`);
    try {
      const specs = await api(base, token, '/api/kernelspecs');
      if (specs.kernelspecs?.tslab) return specs.kernelspecs.tslab;
      last = `it answers, but lists only: ${Object.keys(specs.kernelspecs ?? {}).join(', ')}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(500);
  }
  throw new Error(`Jupyter did not list the tslab kernelspec within ${READY_TIMEOUT_MS / 1000}s (${last})`);
}

/**
 * Starts a TypeScript kernel through the server (as the browser does: REST, then the kernel's
 * websocket) and runs one typed cell in it. Needs WebSocket (`node --experimental-websocket` on
 * Node 20, built in from Node 22).
 */
async function checkKernelRuns(base, token) {
  if (typeof WebSocket === 'undefined') throw new Error('this Node has no WebSocket: run with node --experimental-websocket');
  const kernel = await api(base, token, '/api/kernels', { method: 'POST', body: JSON.stringify({ name: 'tslab' }) });
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/kernels/${kernel.id}/channels?session_id=${randomBytes(8).toString('hex')}&token=${token}`);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the tslab kernel did not answer a cell within 60s')), 60_000);
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
        // tslab shows a cell's last value as a stdout stream (other kernels: execute_result).
        if (type === 'execute_result') result = String(msg.content.data['text/plain']).trim();
        if (type === 'stream') result = msg.content.name === 'stdout' ? msg.content.text.trim() : `stderr: ${msg.content.text}`;
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

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const jupyter = await setupOrExit();
  const lab = Boolean(jupyter.versions.jupyterlab);
  const port = await freePort(opts.port);
  const token = process.env.JUPYTER_TOKEN || randomBytes(24).toString('hex');
  const notebooks = path.join(ROOT, 'notebooks');
  fs.mkdirSync(notebooks, { recursive: true }); // git keeps no empty folder: a clone may lack it
  const args = [
    '-m', lab ? 'jupyterlab' : 'notebook',
    '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', '--no-browser',
    lab ? `--ServerApp.root_dir=${notebooks}` : `--notebook-dir=${notebooks}`,
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/${lab ? 'lab' : 'tree'}?token=${token}`;
  console.log(`[start] ${lab ? 'JupyterLab' : 'Jupyter Notebook'} on ${path.relative(process.cwd(), notebooks) || '.'}/ at ${base} ...`);
  // In --check mode Jupyter's own log is noise unless something fails: keep it to show then.
  const server = spawn(jupyter.python, args, {
    cwd: ROOT,
    env: { ...jupyter.env, JUPYTER_TOKEN: token },
    stdio: opts.check ? ['ignore', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit'],
  });
  let log = '';
  if (opts.check) {
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
  }
  const stop = () => server.exitCode === null && server.kill('SIGTERM');
  process.on('SIGTERM', stop);
  // Ctrl-C reaches Jupyter too (same process group): let it run its own shutdown, then we exit.
  process.on('SIGINT', () => opts.check && stop());
  process.on('exit', stop);

  try {
    const spec = await waitForKernelspec(base, token, server);
    console.log(`[start] kernel: ${spec.spec.display_name} (tslab) -> ${spec.spec.argv[0]}`);
    if (opts.check) {
      const t0 = Date.now();
      await checkKernelRuns(base, token);
      console.log(`[start] a TypeScript kernel started and ran \`const clabCheck: number = 6 * 7\` -> 42 in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
    console.log(`[start] ready: ${url}`);
  } catch (e) {
    console.error(`[start] FAILED: ${e.message}`);
    if (log) console.error(log.trim().split('\n').slice(-30).join('\n'));
    stop();
    process.exit(1);
  }
  if (opts.check) {
    stop();
    await new Promise((r) => server.once('close', r));
    console.log('[start] --check passed; server stopped');
    return;
  }
  console.log('[start] open the URL above; stop with Ctrl-C (twice)');
  server.on('close', (code) => process.exit(code ?? 0));
}

await main();
