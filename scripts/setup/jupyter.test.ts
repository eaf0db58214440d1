import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Set-up's choice of Python, on fake Pythons: each is a shell script that answers the version
// probe from a versions.json beside it, makes a venv by copying itself, and "installs" with pip
// as FAKE_PIP says (ok | fail | hang), logging its arguments to pip-calls.log. Nothing here runs
// the real pip or apt-get; CI's fresh-clone set-up does that for real.
const MODULE = pathToFileURL(path.join(__dirname, 'jupyter.mjs')).href;

const FAKE_PYTHON = `#!/bin/sh
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$1" = "-c" ]; then cat "$here/versions.json"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && echo '{"python": "3.11.0"}' > "$3/bin/versions.json"; exit 0
fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  shift 2; echo "$*" >> "$FAKE_LOG"
  case "$FAKE_PIP" in
    ok) echo '${JSON.stringify({ python: '3.11.0', nbclient: '0.11.0', nbformat: '5.10.4', jupyter_client: '8.6.3', nbconvert: '7.17.1', ipykernel: '7.4.0', notebook: '7.6.3', jupyterlab: '4.6.4' })}' > "$here/versions.json"; exit 0;;
    hang) sleep 30; exit 0;;
    *) echo "ERROR: Could not find a version that satisfies the requirement jupyterlab>=4 (from versions: none)"; exit 1;;
  esac
fi
exit 3
`;

const COMPLETE = { python: '3.11.0', nbclient: '0.11.0', nbformat: '5.10.4', jupyter_client: '8.6.3', nbconvert: '7.17.1', ipykernel: '7.4.0', notebook: '7.6.3', jupyterlab: '4.6.4' };
const DEBIAN = { python: '3.11.2', nbclient: '0.7.2', nbformat: '5.7.0', jupyter_client: '7.4.9', nbconvert: '6.5.3', ipykernel: '6.17.0', notebook: '6.4.12', jupyterlab: null };
const LAB_ONLY = { ...COMPLETE, notebook: null };

interface Answer {
  line?: string;
  jupyter?: { python: string; source: string; complete: boolean; costs: string[] };
  error?: string;
  says: string[];
}

describe('scripts/setup/jupyter.mjs ensureJupyter / findJupyter (fake Pythons)', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let log: string;

  /** A fake Python at dir/name/python answering with `versions`. */
  function fakePython(name: string, versions: object | null): string {
    const bin = path.join(dir, name);
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'python'), FAKE_PYTHON, { mode: 0o755 });
    if (versions) fs.writeFileSync(path.join(bin, 'versions.json'), JSON.stringify(versions));
    return path.join(bin, 'python');
  }

  function call(fn: 'ensureJupyter' | 'findJupyter', options: Record<string, unknown>, env: Record<string, string> = {}): Answer {
    const code = `
      import * as m from ${JSON.stringify(MODULE)};
      const says = [];
      const options = JSON.parse(process.argv[1]);
      try {
        const r = await m.${fn}({ ...options, env: process.env, say: (l) => says.push(l) });
        console.log(JSON.stringify(${fn === 'findJupyter' ? '{ jupyter: r, says }' : '{ ...r, says }'}));
      } catch (e) {
        if (!(e instanceof m.SetupError)) throw e;
        console.log(JSON.stringify({ error: e.message, says }));
      }`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', code, JSON.stringify({ root, debian: false, ...options })], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', FAKE_LOG: log, FAKE_PIP: 'fail', ...env },
    });
    assert.equal(res.status, 0, res.stderr);
    return JSON.parse(res.stdout.trim().split('\n').pop()!) as Answer;
  }

  const pipCalls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-setup-'));
    root = path.join(dir, 'checkout');
    fs.mkdirSync(root);
    log = path.join(dir, 'pip-calls.log');
  });

  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ensureJupyter() with a complete .venv uses it and runs no pip', function () {
    fs.mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    fs.renameSync(fakePython('v', COMPLETE), path.join(root, '.venv', 'bin', 'python'));
    fs.renameSync(path.join(dir, 'v', 'versions.json'), path.join(root, '.venv', 'bin', 'versions.json'));
    const r = call('ensureJupyter', { systemPythons: [], basePythons: [] });
    assert.equal(r.jupyter?.source, '.venv');
    assert.match(r.line!, /^ok \(.*\.venv\/bin\/python: JupyterLab 4\.6\.4, Notebook 7\.6\.3, nbconvert 7\.17\.1\)$/);
    assert.deepEqual(pipCalls(), []);
  });

  it('ensureJupyter() without .venv creates it and installs the requirements with pip --retries 0', function () {
    const base = fakePython('base', { python: '3.11.0' });
    const r = call('ensureJupyter', { systemPythons: [], basePythons: [base] }, { FAKE_PIP: 'ok' });
    assert.match(r.line!, /^installed \(.*\.venv\/bin\/python: JupyterLab 4\.6\.4/);
    assert.equal(r.jupyter?.complete, true);
    assert.deepEqual(pipCalls(), ["install --retries 0 jupyterlab>=4 notebook>=7 nbconvert>=7 nbclient ipykernel"]);
    assert.ok(r.says.some((l) => /installing jupyterlab>=4 .* into \.venv with pip/.test(l)), r.says.join('\n'));
  });

  it('ensureJupyter() when pip fails removes the .venv it made and falls back to Debian nbconvert 6.5, saying what that costs', function () {
    const base = fakePython('base', { python: '3.11.0' });
    const debian = fakePython('debian', DEBIAN);
    const r = call('ensureJupyter', { systemPythons: [debian], basePythons: [base] });
    assert.equal(r.jupyter?.python, debian);
    assert.equal(fs.existsSync(path.join(root, '.venv')), false, 'the half-made .venv is gone');
    assert.match(r.line!, /^WARNING using a system Python \(.*debian\/python: Notebook 6\.4\.12, nbconvert 6\.5\.3\)/);
    assert.match(r.line!, /because pip could not make \.venv \(pip failed: ERROR: Could not find a version that satisfies the requirement jupyterlab>=4/);
    assert.match(r.line!, /nbconvert 6\.5\.3 < 7: HTML export blanks every chart/);
    assert.match(r.line!, /no JupyterLab: npm start opens the classic Notebook 6\.4\.12/);
  });

  it('ensureJupyter() after a pip failure does not run pip again until --retry-pip (retryPip)', function () {
    const base = fakePython('base', { python: '3.11.0' });
    const debian = fakePython('debian', DEBIAN);
    call('ensureJupyter', { systemPythons: [debian], basePythons: [base] });
    const again = call('ensureJupyter', { systemPythons: [debian], basePythons: [base] });
    assert.equal(pipCalls().length, 1, 'pip ran once');
    assert.match(again.line!, /npm run setup -- --retry-pip tries again now/);
    const retried = call('ensureJupyter', { systemPythons: [debian], basePythons: [base], retryPip: true }, { FAKE_PIP: 'ok' });
    assert.equal(pipCalls().length, 2, 'pip ran again');
    assert.match(retried.line!, /^installed/);
    assert.equal(fs.existsSync(path.join(root, '.jupyter-local', 'pip-failed.json')), false, 'the failure note is gone');
  });

  it('ensureJupyter() keeps an existing .venv that pip could not complete, and says --classic is unavailable', function () {
    const made = fakePython('mine', LAB_ONLY);
    fs.mkdirSync(path.join(root, '.venv'));
    fs.renameSync(path.dirname(made), path.join(root, '.venv', 'bin'));
    fs.writeFileSync(path.join(root, '.venv', 'my-notes.txt'), 'mine');
    const r = call('ensureJupyter', { systemPythons: [], basePythons: [] });
    assert.equal(r.jupyter?.source, '.venv');
    assert.equal(fs.readFileSync(path.join(root, '.venv', 'my-notes.txt'), 'utf8'), 'mine');
    assert.match(r.line!, /^WARNING using \.venv .*no notebook package: npm start -- --classic is not available/s);
  });

  it('ensureJupyter() stops pip after CLAB_PIP_TIMEOUT seconds and says so', function () {
    const base = fakePython('base', { python: '3.11.0' });
    const debian = fakePython('debian', DEBIAN);
    const t0 = Date.now();
    const r = call('ensureJupyter', { systemPythons: [debian], basePythons: [base] }, { FAKE_PIP: 'hang', CLAB_PIP_TIMEOUT: '1' });
    assert.ok(Date.now() - t0 < 20_000, 'did not wait for the 30 s pip');
    assert.match(r.line!, /pip did not finish within 1 s \(CLAB_PIP_TIMEOUT\)/);
  });

  it('ensureJupyter() with CLAB_PYTHON set to a missing file throws naming the value and the fix', function () {
    const r = call('ensureJupyter', {}, { CLAB_PYTHON: '/nowhere/python3' });
    assert.match(r.error!, /^CLAB_PYTHON=\/nowhere\/python3 does not exist; point it at a Python with Jupyter, or unset it to use \.venv$/);
  });

  it('ensureJupyter() with CLAB_PYTHON lacking nbconvert throws listing what is missing and the pip command', function () {
    const bare = fakePython('bare', { ...COMPLETE, nbconvert: null });
    const r = call('ensureJupyter', {}, { CLAB_PYTHON: bare });
    assert.match(r.error!, new RegExp(`^CLAB_PYTHON=${bare} lacks nbconvert; install them \\(${bare} -m pip install 'jupyterlab>=4'`));
  });

  it('ensureJupyter() with CLAB_PYTHON set uses it even when .venv is complete, and runs no pip', function () {
    const chosen = fakePython('chosen', DEBIAN);
    const r = call('ensureJupyter', { systemPythons: [], basePythons: [] }, { CLAB_PYTHON: chosen });
    assert.equal(r.jupyter?.python, chosen);
    assert.match(r.line!, /^WARNING using CLAB_PYTHON \(.*chosen\/python: Notebook 6\.4\.12, nbconvert 6\.5\.3\)\. What that costs:/);
    assert.deepEqual(pipCalls(), []);
  });

  it('ensureJupyter() with no Jupyter anywhere and CLAB_SETUP_NO_INSTALL throws the commands to run', function () {
    const r = call('ensureJupyter', { systemPythons: [], basePythons: [] }, { CLAB_SETUP_NO_INSTALL: '1' });
    assert.match(r.error!, /^no Python with Jupyter/);
    assert.match(r.error!, /python3 -m venv \.venv && \.venv\/bin\/python -m pip install 'jupyterlab>=4' 'notebook>=7' 'nbconvert>=7' nbclient ipykernel/);
    assert.match(r.error!, /apt-get install -y jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel/);
    assert.deepEqual(pipCalls(), []);
  });

  it('findJupyter() prefers CLAB_PYTHON, then a usable .venv, then the system Python', function () {
    const system = fakePython('system', DEBIAN);
    assert.equal(call('findJupyter', { systemPythons: [system] }).jupyter?.source, 'system');
    fs.mkdirSync(path.join(root, '.venv'));
    fs.renameSync(path.dirname(fakePython('v', COMPLETE)), path.join(root, '.venv', 'bin'));
    assert.equal(call('findJupyter', { systemPythons: [system] }).jupyter?.source, '.venv');
    const chosen = fakePython('chosen', DEBIAN);
    assert.equal(call('findJupyter', { systemPythons: [system] }, { CLAB_PYTHON: chosen }).jupyter?.python, chosen);
  });
});
