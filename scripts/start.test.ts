import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './browser/free_port';

// `npm start` is stopped the four ways a user stops it: Ctrl-C or SIGTERM, in a terminal or
// without one (CI, a process manager, `kill` from another shell). Each case starts a real
// JupyterLab through npm, starts a TypeScript and a Python kernel through its REST API, signals,
// and then looks for any process that inherited this test's marker variable: the server and its
// kernels must all be gone (the traps: without a terminal, SIGINT can leave the kernels running,
// re-parented to PID 1, and SIGTERM the whole server).
const ROOT = path.resolve(__dirname, '..');
const PTY_RUN = path.join(ROOT, 'scripts', 'fixtures', 'pty_run.py');
const MARK = 'CLAB_START_TEST_MARK';

interface Marked {
  pid: number;
  cmd: string;
}

/** Live processes whose environment holds MARK=value (read from /proc, independently of start.mjs). */
function marked(value: string): Marked[] {
  const needle = Buffer.from(`\0${MARK}=${value}\0`);
  const found: Marked[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`)]);
      if (!environ.includes(needle)) continue;
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      /* gone */
    }
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, ms: number, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000}s waiting for ${what}`);
    await sleep(250);
  }
}

interface Case {
  signal: 'SIGINT' | 'SIGTERM';
  terminal: boolean;
}

interface Outcome {
  before: Marked[];
  after: Marked[];
  exit: number | null;
  out: string;
  error?: string;
}

/** Starts `npm start`, two kernels through the API, sends the signal, waits for npm to exit. */
async function runCase({ signal, terminal }: Case): Promise<Outcome> {
  const markValue = randomBytes(8).toString('hex');
  const port = await freePort();
  const env = { ...process.env, [MARK]: markValue, CLAB_PORT: undefined, JUPYTER_TOKEN: undefined };
  const args = ['start', '--', `--port=${port}`];
  // A terminal: npm runs on a pseudo-terminal whose keyboard is our pipe. No terminal: stdin is
  // /dev/null, as under CI or a process manager.
  const child: ChildProcess = terminal
    ? spawn('python3', [PTY_RUN, 'npm', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? -1 : null))));
  const outcome: Outcome = { before: [], after: [], exit: null, out: '' };
  try {
    const url = await until('[start] ready', 180_000, () => /\[start\] ready: (http:\/\/\S+)/.exec(out)?.[1]);
    const base = url.replace(/\/lab\?.*$/, '');
    const token = new URL(url).searchParams.get('token')!;
    for (const name of ['clab-typescript', 'python3']) {
      const res = await fetch(`${base}/api/kernels`, {
        method: 'POST',
        headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      assert.equal(res.status, 201, `POST /api/kernels ${name}: HTTP ${res.status}`);
    }
    outcome.before = await until('both kernel processes', 60_000, () => {
      const now = marked(markValue);
      return now.some((p) => /dist\/kernel\/main\.js/.test(p.cmd)) && now.some((p) => /ipykernel_launcher/.test(p.cmd)) && now;
    });
    if (terminal && signal === 'SIGINT') {
      child.stdin!.write('\x03'); // Ctrl-C, typed into the terminal
    } else {
      // `kill` from another shell: to npm itself (inside the terminal's session, or not)
      const npm = outcome.before.find((p) => /^npm start/.test(p.cmd));
      assert.ok(npm, `no npm process among ${JSON.stringify(outcome.before)}`);
      process.kill(npm.pid, signal);
    }
    // An unref'd timer: a pending one would keep mocha waiting after the last test.
    outcome.exit = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 90_000).unref())]);
    outcome.after = marked(markValue);
  } catch (e) {
    outcome.error = (e as Error).message;
  } finally {
    for (const p of marked(markValue)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    child.kill('SIGKILL');
    outcome.out = out;
  }
  return outcome;
}

const CASES: Case[] = [
  { signal: 'SIGINT', terminal: false },
  { signal: 'SIGTERM', terminal: false },
  { signal: 'SIGINT', terminal: true },
  { signal: 'SIGTERM', terminal: true },
];

/** `npm start -- --check ...args`: starts, runs one TypeScript cell through the server, stops. */
async function check(args: string[], port?: number): Promise<{ code: number | null; out: string }> {
  port ??= await freePort();
  return new Promise((resolve) => {
    const child = spawn('npm', ['start', '--', '--check', `--port=${port}`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('npm start (scripts/start.mjs): what it opens, and how it stops', function () {
  this.timeout(400_000);
  const outcomes = new Map<Case, Outcome>();
  let lab: { code: number | null; out: string };
  let lab2: { code: number | null; out: string };
  let classic: { code: number | null; out: string };

  before(async function () {
    if (!fs.existsSync('/proc/self/environ')) this.skip(); // the check reads /proc (Linux)
    // The servers start side by side: each waits mostly on its own start-up.
    // Two --check runs told the same first port: they race for it.
    const samePort = await freePort();
    const [results, labCheck, labCheck2, classicCheck] = await Promise.all([
      Promise.all(CASES.map(runCase)),
      check([], samePort),
      check([], samePort),
      check(['--classic']),
    ]);
    CASES.forEach((c, i) => outcomes.set(c, results[i]));
    [lab, lab2, classic] = [labCheck, labCheck2, classicCheck];
  });

  it('npm start -- --check opens JupyterLab (/lab) and runs a TypeScript cell through it', function () {
    assert.equal(lab.code, 0, lab.out);
    assert.match(lab.out, /\[start\] JupyterLab on notebooks\//);
    assert.match(lab.out, /\[start\] ready: http:\/\/127\.0\.0\.1:\d+\/lab\?token=/);
    assert.match(lab.out, /-> 42 in/);
  });

  it('two npm start -- --check given the same --port at the same time both pass, on different ports', function () {
    assert.equal(lab2.code, 0, lab2.out);
    const portOf = (out: string) => /\[start\] ready: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1];
    assert.notEqual(portOf(lab.out), undefined);
    assert.notEqual(portOf(lab.out), portOf(lab2.out));
  });

  it('npm start -- --check --classic opens the Notebook interface (/tree) instead', function () {
    assert.equal(classic.code, 0, classic.out);
    assert.match(classic.out, /\[start\] Jupyter Notebook \d/);
    assert.match(classic.out, /\[start\] ready: http:\/\/127\.0\.0\.1:\d+\/tree\?token=/);
  });

  it('npm start -- --dir=<missing folder> exits 2 naming the folder', function () {
    const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--dir=/no/such/folder'], { encoding: 'utf8' });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /^start: --dir: no such folder \/no\/such\/folder\nusage: npm start -- \[--classic\]/);
  });

  for (const c of CASES) {
    const how = c.terminal ? (c.signal === 'SIGINT' ? 'Ctrl-C in a terminal' : 'SIGTERM to npm in a terminal') : `${c.signal} to npm without a terminal`;
    it(`npm start, then ${how}: exits 0 and no process of its server or kernels survives`, function () {
      const o = outcomes.get(c)!;
      const tail = o.out.trim().split('\n').slice(-25).join('\n');
      assert.equal(o.error, undefined, `${o.error}\n${tail}`);
      assert.ok(o.before.some((p) => /jupyterlab/.test(p.cmd)), `the server was running: ${JSON.stringify(o.before)}`);
      assert.equal(o.exit, 0, `npm start exit code\n${tail}`);
      assert.deepEqual(o.after, [], `left running after npm start exited:\n${tail}`);
      assert.match(o.out, new RegExp(`\\[start\\] got ${c.signal}: stopping the server and its kernels`));
    });
  }
});
