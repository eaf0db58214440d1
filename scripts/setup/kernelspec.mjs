// The project's kernelspec (the TypeScript kernel in kernel/, compiled to dist/kernel/) and the
// JupyterLab defaults set-up gives this checkout, both under .jupyter-local/ (which every Jupyter
// the project starts reads first: see jupyterEnv in setup.mjs).
//
// Plain Node, no dependencies: set-up runs before node_modules exists.
import fs from 'node:fs';
import path from 'node:path';
import { writeAtomic } from './write_atomic.mjs';

/** The kernelspec's name: the notebooks' metadata and the release name it. */
export const KERNEL_NAME = 'clab-typescript';
/** What JupyterLab's launcher and status bar call it. */
export const KERNEL_DISPLAY_NAME = 'TypeScript';

/** Kernelspecs tslab's installer wrote into this checkout's Jupyter folder, which set-up removes: the notebooks name clab-typescript. */
const RETIRED_SPECS = ['tslab', 'jslab'];

/**
 * The kernel's environment. The TypeScript service in tslab's converter watches every
 * declaration file a notebook uses, and a file event during a cell left it waiting for a rebuild
 * ("Unexpected pending rebuildTimer"; the kernel replaces such a converter, see
 * kernel/executor.ts). With inotify (the default) a mere link count change is such an event: the
 * grader hard-links node_modules when it stages packages, and so does the deployment-matrix test.
 * Polling compares modification times, so only real edits count (about 3 ms of CPU a second).
 */
export const KERNEL_ENV = { TSC_WATCHFILE: 'DynamicPriorityPolling', TSC_WATCHDIRECTORY: 'DynamicPriorityPolling' };

/**
 * JupyterLab defaults for this checkout (a user's own settings still win): no "get notified about
 * official Jupyter news?" prompt on the first start, and no update check (both would reach the
 * internet, and the prompt covers the notebook until dismissed).
 */
export const LAB_DEFAULTS = {
  '@jupyterlab/apputils-extension:notification': { fetchNews: 'false', checkForUpdates: false },
};

/** The compiled kernel the kernelspec starts. */
export function kernelMain(root) {
  return path.join(root, 'dist', 'kernel', 'main.js');
}

/**
 * The kernel.json set-up writes: this Node running this checkout's compiled kernel. Interrupts
 * arrive as messages on the control channel (interrupt_mode "message"), which the kernel answers
 * from a thread of its own even while a cell is stuck in a loop; SIGINT works too.
 * @param {string} root the checkout
 * @param {string} [node] the Node binary (default: the one running set-up)
 */
export function kernelSpec(root, node = process.execPath) {
  return {
    argv: [node, kernelMain(root), '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'message',
    env: KERNEL_ENV,
    metadata: { debugger: false },
  };
}

/** A simple logo for JupyterLab's launcher: "TS" on the TypeScript blue. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="6" fill="#3178c6"/>
<text x="58" y="56" text-anchor="end" font-family="Arial, Helvetica, sans-serif" font-weight="bold" font-size="30" fill="#fff">TS</text>
</svg>
`;

/**
 * Registers the kernelspec in `dataDir` (.jupyter-local/share/jupyter) when it is missing or
 * differs, removes the specs earlier set-ups wrote there, and writes the JupyterLab defaults to
 * `configDir` (.jupyter-local/etc/jupyter).
 * @returns {string} set-up's one-line report
 */
export function registerKernel({ root, dataDir, configDir, node = process.execPath }) {
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  const specFile = path.join(dir, 'kernel.json');
  const want = JSON.stringify(kernelSpec(root, node), null, 1);
  const removed = [];
  for (const name of RETIRED_SPECS) {
    const old = path.join(dataDir, 'kernels', name);
    if (fs.existsSync(old)) {
      fs.rmSync(old, { recursive: true, force: true });
      removed.push(name);
    }
  }
  const labFile = path.join(configDir, 'labconfig', 'default_setting_overrides.json');
  const labWant = JSON.stringify(LAB_DEFAULTS, null, 1);
  const read = (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  let changed = false;
  if (read(specFile) !== want) {
    writeAtomic(specFile, want);
    changed = true;
  }
  if (read(path.join(dir, 'logo-svg.svg')) !== LOGO_SVG) writeAtomic(path.join(dir, 'logo-svg.svg'), LOGO_SVG);
  if (read(labFile) !== labWant) {
    writeAtomic(labFile, labWant);
    changed = true;
  }
  const where = `${path.relative(root, dir)} -> ${path.relative(root, kernelMain(root))}`;
  const retired = removed.length ? `; removed the old ${removed.join(', ')} kernelspec${removed.length > 1 ? 's' : ''}` : '';
  return `${changed ? 'registered' : 'ok'} (${KERNEL_NAME}, ${where}${retired})`;
}
