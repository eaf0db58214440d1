// Which Python runs Jupyter for this project, and making one when there is none.
//
// Everything that starts Jupyter (npm start, the notebook runner, the export, the browser suite)
// asks findJupyter() and so gets the same Python. ensureJupyter() is set-up's step: it may create
// the project-local .venv with pip (as the machine's pip is configured: no index URL here), and
// falls back to Debian's packages, then to printing the commands.
//
// Order: CLAB_PYTHON (as given) -> .venv when it has everything -> create or complete .venv with
// pip -> .venv or a system Python that can run the notebooks (with what that costs said) ->
// Debian's packages (as root on Debian) -> stop with the commands to run.
//
// Plain Node, no dependencies: set-up runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeVenv, VENV_REQUIREMENTS, venvPython } from './pip_venv.mjs';
import { probePython } from './probe_python.mjs';
import { which } from './which.mjs';

export { VENV_REQUIREMENTS } from './pip_venv.mjs';

/** The checkout this file belongs to: its .venv is the one set-up makes. */
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Debian fallback: classic Notebook 6.4 and nbconvert 6.5. */
export const DEBIAN_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'jupyter-client', 'python3-ipykernel'];

/** System Pythons to fall back on, first the one Debian's packages install into. */
function systemPythons(env) {
  const list = ['/usr/bin/python3', which('python3', env), which('python', env)];
  return [...new Set(list.filter((p) => p && fs.existsSync(p)))];
}

/** Pythons that can make .venv: the user's python3 first (pyenv, Homebrew), then Debian's. */
function basePythons(env) {
  return [...new Set([which('python3', env), '/usr/bin/python3'].filter((p) => p && fs.existsSync(p)))];
}

/**
 * The Python whose Jupyter this project uses, without installing anything (about 0.2 s per
 * Python probed): CLAB_PYTHON when set (even if it cannot run the notebooks: set-up then says
 * why), else `.venv/bin/python` when it can run them, else the first system Python that can.
 * After `npm run setup` it is the Python set-up chose. The notebook runner, `npm start` and the
 * export all use it.
 * @param {{root?: string, env?: NodeJS.ProcessEnv, systemPythons?: string[]}} [options] root: the
 *   checkout (its .venv); systemPythons: the fallbacks to try (tests; default /usr/bin/python3,
 *   then python3 and python on PATH)
 * @returns {Promise<null | {python: string, versions: Record<string, string|null>, source: string,
 *   usable: boolean, complete: boolean, missing: string[], lab: boolean, classic: boolean,
 *   nbconvert7: boolean, costs: string[]}>} null when no Python has Jupyter
 * @example const jupyter = await findJupyter(); spawnSync(jupyter.python, ['-m', 'nbconvert', ...]);
 */
export async function findJupyter({ root = CHECKOUT, env = process.env, systemPythons: system = systemPythons(env) } = {}) {
  if (env.CLAB_PYTHON) {
    const found = await probePython(env.CLAB_PYTHON, env);
    return found && { ...found, source: 'CLAB_PYTHON' };
  }
  if (fs.existsSync(venvPython(root))) {
    const found = await probePython(venvPython(root), env);
    if (found?.usable) return { ...found, source: '.venv' };
  }
  for (const python of system) {
    const found = await probePython(python, env);
    if (found?.usable) return { ...found, source: 'system' };
  }
  return null;
}

/** A set-up step failed in a way the user can fix; the message says how. */
export class SetupError extends Error {}

/** The requirements as shell words ('jupyterlab>=4' needs quotes, nbclient does not). */
const shellWords = () => VENV_REQUIREMENTS.map((r) => (/^[\w.-]+$/.test(r) ? r : `'${r}'`)).join(' ');

function pipCommand() {
  return `.venv/bin/python -m pip install ${shellWords()}`;
}

function manualInstructions(pipFailure) {
  return [
    'no Python with Jupyter (nbconvert, nbclient, ipykernel and JupyterLab or Notebook) was found' +
      (pipFailure ? `, and pip could not make .venv (${pipFailure}).` : '.'),
    'Install one, then rerun `npm run setup`:',
    `  any system:     python3 -m venv .venv && ${pipCommand()}`,
    `  Debian/Ubuntu:  sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`,
    '                  (a fallback: classic Notebook 6.4, and nbconvert 6.5 blanks charts in HTML export)',
    '  or point CLAB_PYTHON at a Python that has them.',
  ].join('\n');
}

// ---------------------------------------------------------------- Debian

function installDebian(env, say, allowed) {
  if (!allowed) return false;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!fs.existsSync('/etc/debian_version') || !isRoot || !which('apt-get', env)) return false;
  say(`installing Debian packages ${DEBIAN_PACKAGES.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...DEBIAN_PACKAGES], { stdio: 'inherit', env: aptEnv });
  return update.status === 0 && install.status === 0;
}

// ---------------------------------------------------------------- the step

function describe(found) {
  const v = found.versions;
  const parts = [v.jupyterlab && `JupyterLab ${v.jupyterlab}`, v.notebook && `Notebook ${v.notebook}`, `nbconvert ${v.nbconvert}`].filter(Boolean);
  return `${found.python}: ${parts.join(', ')}`;
}

/**
 * Set-up's Jupyter step (order in the file header). Installs only when `install` is true.
 * @param {{root?: string, env?: NodeJS.ProcessEnv, install?: boolean, retryPip?: boolean,
 *   found?: object|null, say?: (line: string) => void, systemPythons?: string[],
 *   basePythons?: string[], debian?: boolean}} options found: a findJupyter() answer already in
 *   hand (saves probing again); say: progress lines; systemPythons, basePythons (the Pythons
 *   that may create .venv) and debian (may apt-get install) are for tests
 * @returns {Promise<{line: string, jupyter: object}>} line: set-up's one-line report
 * @throws {SetupError} when no usable Jupyter is left; the message says what to run
 */
export async function ensureJupyter({
  root = CHECKOUT,
  env = process.env,
  install = !env.CLAB_SETUP_NO_INSTALL,
  retryPip = false,
  found,
  say = () => {},
  systemPythons: system = systemPythons(env),
  basePythons: bases = basePythons(env),
  debian = true,
} = {}) {
  if (found === undefined) found = await findJupyter({ root, env, systemPythons: system });
  const report = (how, jupyter, why) => {
    if (!jupyter.costs.length) return { line: `${how} (${describe(jupyter)})`, jupyter };
    const because = why ? ` because ${why}` : '';
    return { line: `WARNING ${how} (${describe(jupyter)})${because}. What that costs:\n    - ${jupyter.costs.join('\n    - ')}`, jupyter };
  };

  if (env.CLAB_PYTHON) {
    if (!fs.existsSync(env.CLAB_PYTHON)) {
      throw new SetupError(`CLAB_PYTHON=${env.CLAB_PYTHON} does not exist; point it at a Python with Jupyter, or unset it to use .venv`);
    }
    if (!found?.usable) {
      const what = found ? `lacks ${found.missing.join(', ')}` : 'does not run';
      throw new SetupError(
        `CLAB_PYTHON=${env.CLAB_PYTHON} ${what}; install them (${env.CLAB_PYTHON} -m pip install ${shellWords()}) or unset CLAB_PYTHON`,
      );
    }
    return report(found.costs.length ? 'using CLAB_PYTHON' : 'ok, CLAB_PYTHON', found);
  }
  if (found?.source === '.venv' && found.complete) return report('ok', found);

  let pipFailure = null;
  if (install) {
    const made = await makeVenv({ root, env, say, bases, retryPip });
    if (made.ok) return report(made.already ? 'ok' : 'installed', made.found);
    pipFailure = made.reason;
  }
  const why = pipFailure ? `pip could not make .venv (${pipFailure})` : install ? null : 'CLAB_SETUP_NO_INSTALL is set';
  if (found?.usable) return report(`using ${found.source === '.venv' ? '.venv' : 'a system Python'}`, found, why);
  if (install && installDebian(env, say, debian)) {
    const installed = await findJupyter({ root, env, systemPythons: system });
    if (installed?.usable) return report('installed Debian packages, using them', installed, why);
  }
  throw new SetupError(manualInstructions(pipFailure));
}
