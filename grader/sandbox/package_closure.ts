import * as fs from 'node:fs';
import * as path from 'node:path';

function findPackage(name: string, fromDir: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The folders of `roots` and everything they depend on (dependencies and optionalDependencies,
 * resolved the way Node does, nested node_modules first), as real paths. The child may read only
 * these: granting all of node_modules would also grant anything linked into it.
 * @param roots package names, e.g. ['@tensorflow/tfjs']
 * @param projectRoot folder whose node_modules is searched first
 */
export function packageClosure(roots: string[], projectRoot: string): string[] {
  const seen = new Set<string>();
  const stack: Array<[string, string]> = roots.map((r) => [r, projectRoot]);
  while (stack.length > 0) {
    const [name, from] = stack.pop()!;
    const found = findPackage(name, from);
    if (found === null) continue;
    const real = fs.realpathSync(found);
    if (seen.has(real)) continue;
    seen.add(real);
    const pj = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...pj.dependencies, ...pj.optionalDependencies })) stack.push([dep, found]);
  }
  return [...seen].sort();
}
