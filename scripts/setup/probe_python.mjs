// Asks a Python what Jupyter it has, and says what that Python can and cannot do for this project.
import { spawn } from 'node:child_process';

// find_spec, not import: importing ipykernel and nbconvert takes seconds on a busy machine, and
// a broken install still fails loudly at its first real use.
const PROBE = `
import json, sys, importlib.util, importlib.metadata as md
v = {'python': sys.version.split()[0]}
for m, dist in [('nbclient', 'nbclient'), ('nbformat', 'nbformat'), ('jupyter_client', 'jupyter_client'),
                ('nbconvert', 'nbconvert'), ('ipykernel', 'ipykernel'), ('notebook', 'notebook'), ('jupyterlab', 'jupyterlab')]:
    try:
        v[m] = md.version(dist) if importlib.util.find_spec(m) is not None else None
    except Exception:
        v[m] = None
print(json.dumps(v))
`;

const REQUIRED = ['nbclient', 'nbformat', 'jupyter_client', 'nbconvert', 'ipykernel'];
const major = (version) => Number.parseInt(String(version ?? '0'), 10) || 0;

/**
 * What a Python's Jupyter can and cannot do.
 * @param {Record<string, string|null>} versions the probe's answer
 */
function classify(versions) {
  const missing = REQUIRED.filter((m) => !versions[m]);
  if (!versions.jupyterlab && !versions.notebook) missing.push('jupyterlab (or notebook)');
  const lab = Boolean(versions.jupyterlab);
  const classic = Boolean(versions.notebook);
  const nbconvert7 = major(versions.nbconvert) >= 7;
  const costs = [];
  if (versions.nbconvert && !nbconvert7) {
    costs.push(`nbconvert ${versions.nbconvert} < 7: HTML export blanks every chart (its sanitizer strips inline SVG)`);
  }
  if (!lab && classic) costs.push(`no JupyterLab: npm start opens the classic Notebook ${versions.notebook}`);
  if (lab && !classic) costs.push('no notebook package: npm start -- --classic is not available');
  return { usable: missing.length === 0, complete: missing.length === 0 && lab && classic && nbconvert7, missing, lab, classic, nbconvert7, costs };
}

/** Resolves to {python, versions, ...classify(versions)} or null when python does not run. */
export function probePython(python, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', PROBE], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      if (code !== 0) return resolve(null);
      try {
        const versions = JSON.parse(out.trim().split('\n').pop());
        resolve({ python, versions, ...classify(versions) });
      } catch {
        resolve(null);
      }
    });
  });
}
