import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project folder (the one holding exercises/, grader/, node_modules/) this library belongs
 * to: the parent of `dist/` when it runs compiled (notebooks import `../dist/lib`), else the
 * folder above `lib/`. An explicit `root` wins and must exist.
 * @param root an explicit project folder, e.g. a student release in a test
 * @param caller the public function asking, named in the error
 * @example projectRoot() // '/home/me/contrastive-lab'
 */
export function projectRoot(root?: string, caller = 'projectRoot'): string {
  if (root !== undefined) {
    if (typeof root !== 'string' || !fs.existsSync(root)) throw new Error(`${caller}: root ${JSON.stringify(root)} does not exist; give the project folder`);
    return path.resolve(root);
  }
  const here = path.resolve(__dirname, '..', '..'); // dist/ when compiled, the project from source
  return path.basename(here) === 'dist' ? path.dirname(here) : here;
}
