import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The trusted project's root: the nearest folder above this file that holds a package.json and
 * a grader/ folder. Found by walking up (not a fixed `../..`), so it is the same from
 * `grader/engine/` under tsx and from `dist/grader/engine/` after `npm run build`.
 */
export function findProjectRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'grader'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`findProjectRoot: no folder with package.json and grader/ above ${from}`);
    dir = up;
  }
}

/** This repository's root (see {@link findProjectRoot}). */
export const PROJECT_ROOT = findProjectRoot();
