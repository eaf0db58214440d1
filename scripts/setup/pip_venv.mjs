// Makes the project-local .venv with pip, as the machine's pip is configured (no index URL here).
//
// Bounded in time (CLAB_PIP_TIMEOUT), logged to .jupyter-local/pip.log, serialised between
// set-ups started together (a lock directory), and remembered when it fails: set-up then does
// not try again for a day unless asked (--retry-pip), so a machine without a package index
// does not pay for a failing pip at every `npm start`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { probePython } from './probe_python.mjs';
import { writeAtomic } from './write_atomic.mjs';

/** What set-up installs into .venv. nbconvert 7: 6.x's HTML sanitizer blanks inline SVG charts. */
export const VENV_REQUIREMENTS = ['jupyterlab>=4', 'notebook>=7', 'nbconvert>=7', 'nbclient', 'ipykernel'];
/** pip's whole run is stopped after this long (CLAB_PIP_TIMEOUT, seconds); it takes 15-60 s here. */
const PIP_TIMEOUT_S = 300;
/** After pip failed, set-up does not try again for this long (unless asked: --retry-pip). */
const PIP_RETRY_AFTER_MS = 24 * 3600 * 1000;

export const venvPython = (root) => path.join(root, '.venv', 'bin', 'python');

const memoFile = (root) => path.join(root, '.jupyter-local', 'pip-failed.json');

function readPipMemo(root) {
  try {
    const memo = JSON.parse(fs.readFileSync(memoFile(root), 'utf8'));
    const fresh = Date.now() - Date.parse(memo.at) < PIP_RETRY_AFTER_MS && memo.requirements === VENV_REQUIREMENTS.join(' ');
    return fresh ? memo : null;
  } catch {
    return null;
  }
}

/** Runs cmd with output to logFile, killed after timeoutS; resolves to {status, timedOut, error}. */
function runLogged(cmd, args, { env, cwd, logFile, timeoutS }) {
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', log, log] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve({ status: null, timedOut, error: error.message });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve({ status, timedOut, error: null });
    });
  });
}

/** The line of pip's log that says why it failed (its last ERROR, else its last line). */
function pipReason(logFile) {
  const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n');
  return (lines.filter((l) => l.startsWith('ERROR')).pop() ?? lines.pop() ?? 'no output').trim();
}

/**
 * Holds .jupyter-local/venv.lock (a directory: mkdir is atomic) while fn runs, so that two
 * set-ups started together do not both build .venv. A lock whose owner died is taken over.
 */
async function withVenvLock(root, fn, say) {
  const lock = path.join(root, '.jupyter-local', 'venv.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let said = false; ; ) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written or removed */
      }
      let alive = true;
      try {
        if (Number.isInteger(owner)) process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (!alive) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!said) say(`waiting for set-up process ${owner}, which is installing .venv`);
      said = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Creates .venv (when missing) and installs VENV_REQUIREMENTS into it with pip, bounded in time.
 * A .venv this call created is removed again when pip fails; an existing one is never removed.
 * @returns {Promise<{ok: true, found: object} | {ok: false, reason: string}>}
 */
async function pipInstall(root, env, say, bases) {
  const venv = path.join(root, '.venv');
  const logFile = path.join(root, '.jupyter-local', 'pip.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `set-up ${new Date().toISOString()}\n`);
  const timeoutS = Number(env.CLAB_PIP_TIMEOUT || PIP_TIMEOUT_S);
  let created = false;
  if (!fs.existsSync(venv)) {
    if (bases.length === 0) return { ok: false, reason: 'no python3 to create it with' };
    const errors = [];
    for (const base of bases) {
      const made = await runLogged(base, ['-m', 'venv', venv], { env, cwd: root, logFile, timeoutS: 120 });
      if (made.status === 0 && fs.existsSync(venvPython(root))) {
        created = true;
        break;
      }
      fs.rmSync(venv, { recursive: true, force: true });
      errors.push(`${base} -m venv failed${made.error ? `: ${made.error}` : ''}`);
    }
    if (!created) return { ok: false, reason: `${errors.join('; ')} (on Debian: apt-get install python3-venv; log: ${path.relative(root, logFile)})` };
  } else if (!fs.existsSync(venvPython(root))) {
    return { ok: false, reason: '.venv exists but has no bin/python; move it away (or rm -rf .venv) and rerun npm run setup' };
  }
  say(`installing ${VENV_REQUIREMENTS.join(' ')} into .venv with pip (about 30 s; log: ${path.relative(root, logFile)})`);
  // --retries 0: a configured index that cannot be reached is skipped at once instead of being
  // retried 5 times per package (minutes); pip still uses every other configured source.
  const pip = await runLogged(venvPython(root), ['-m', 'pip', 'install', '--retries', '0', ...VENV_REQUIREMENTS], {
    env: { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    cwd: root,
    logFile,
    timeoutS,
  });
  const found = pip.status === 0 ? await probePython(venvPython(root), env) : null;
  if (found?.complete) return { ok: true, found: { ...found, source: '.venv' } };
  const reason = pip.timedOut
    ? `pip did not finish within ${timeoutS} s (CLAB_PIP_TIMEOUT)`
    : pip.status === 0
      ? `pip finished but .venv still lacks ${found ? found.missing.concat(found.costs).join(', ') : 'a working python'}`
      : `pip failed: ${pip.error ?? pipReason(logFile)}`;
  if (created) fs.rmSync(venv, { recursive: true, force: true });
  return { ok: false, reason: `${reason} (log: ${path.relative(root, logFile)})` };
}

/**
 * Makes .venv hold VENV_REQUIREMENTS: creates it with the first base Python that can, then pip
 * installs into it. Skipped (answering the remembered reason) when pip failed less than a day ago,
 * unless retryPip. A .venv this call created is removed again when pip fails; an existing one
 * never is.
 * @param {{root: string, env: NodeJS.ProcessEnv, say: (line: string) => void, bases: string[],
 *   retryPip?: boolean}} options bases: Pythons that may create .venv, in order
 * @returns {Promise<{ok: true, found: object, already?: boolean} | {ok: false, reason: string}>}
 *   already: another set-up made it while this one waited for the lock
 * @example const made = await makeVenv({root, env: process.env, say: console.log, bases: ['/usr/bin/python3']});
 */
export async function makeVenv({ root, env, say, bases, retryPip = false }) {
  const memo = retryPip ? null : readPipMemo(root);
  if (memo) return { ok: false, reason: `${memo.reason}; at ${memo.at} (npm run setup -- --retry-pip tries again now)` };
  const made = await withVenvLock(root, async () => {
    // Another set-up may have made it while this one waited.
    const again = fs.existsSync(venvPython(root)) ? await probePython(venvPython(root), env) : null;
    if (again?.complete) return { ok: true, found: { ...again, source: '.venv' }, already: true };
    return pipInstall(root, env, say, bases);
  }, say);
  if (made.ok) fs.rmSync(memoFile(root), { force: true });
  else writeAtomic(memoFile(root), JSON.stringify({ at: new Date().toISOString(), reason: made.reason, requirements: VENV_REQUIREMENTS.join(' ') }));
  return made;
}
