// Finds an executable on PATH, as the shell would (plain Node: set-up runs before node_modules).
import fs from 'node:fs';
import path from 'node:path';

/**
 * The first executable named `cmd` in `env.PATH`, or null.
 * @param {string} cmd
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | null}
 */
export function which(cmd, env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return null;
}
