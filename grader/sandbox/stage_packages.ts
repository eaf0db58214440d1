import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir } from './ensure_private_dir';

/** Where {@link stagePackages} put the packages. */
export interface StagedPackages {
  /** The staged copy's node_modules (for NODE_PATH). */
  nodeModules: string;
  /** The staged package folders, in the order of the input. */
  packages: string[];
  /** True when an earlier run (or a concurrent grader) had already made it. */
  reused: boolean;
  /** Files hard-linked and copied when it was made now (0 and 0 when reused). */
  linked: number;
  copied: number;
}

/** Stages unused for this long are removed when a new one is made. */
const STALE_MS = 7 * 24 * 3600 * 1000;
const MARKER = '.complete';

/** The package folders that are not inside another one of the list (those come along). */
function outermost(packages: string[]): string[] {
  return packages.filter((p) => !packages.some((q) => q !== p && p.startsWith(q + path.sep)));
}

function walkFiles(dir: string, visit: (abs: string, st: fs.Stats) => void): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) walkFiles(abs, visit);
    else visit(abs, st);
  }
}

/** A key that changes when any staged file changes: path, size, mtime, inode of every file. */
function contentKey(roots: string[], nodeModules: string): string {
  const h = createHash('sha256');
  for (const root of roots) {
    walkFiles(root, (abs, st) => h.update(`${path.relative(nodeModules, abs)}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0${st.mode}\n`));
  }
  return h.digest('hex').slice(0, 24);
}

function build(roots: string[], nodeModules: string, dest: string): { linked: number; copied: number } {
  let linked = 0;
  let copied = 0;
  const mkdir = (d: string): void => {
    fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    fs.chmodSync(d, 0o755); // whatever the umask: the sandbox user must enter it
  };
  mkdir(dest);
  const destDev = fs.statSync(dest).dev;
  for (const root of roots) {
    mkdir(path.join(dest, path.relative(nodeModules, root)));
    walkFiles(root, (abs, st) => {
      const target = path.join(dest, path.relative(nodeModules, abs));
      mkdir(path.dirname(target));
      if (st.isSymbolicLink()) {
        // Keep a link that stays inside the package; anything else is not needed by Node.
        const to = fs.readlinkSync(abs);
        if (!path.isAbsolute(to) && path.resolve(path.dirname(abs), to).startsWith(root + path.sep)) fs.symlinkSync(to, target);
        return;
      }
      if (!st.isFile()) return;
      // A hard link shares the file (no copy, no space) and its mode: only when it is already
      // world-readable. Never chmod a linked file: that would change the original.
      if (st.dev === destDev && (st.mode & 0o004) !== 0) {
        try {
          fs.linkSync(abs, target);
          linked++;
          return;
        } catch {
          /* EXDEV, EPERM (protected_hardlinks): copy instead */
        }
      }
      fs.copyFileSync(abs, target);
      fs.chmodSync(target, (st.mode & 0o111) !== 0 ? 0o755 : 0o644);
      copied++;
    });
  }
  return { linked, copied };
}

function prune(cacheRoot: string, keep: string): void {
  for (const e of fs.readdirSync(cacheRoot)) {
    const dir = path.join(cacheRoot, e);
    if (dir === keep) continue;
    try {
      if (e.startsWith('packages-')) {
        const used = fs.statSync(path.join(dir, MARKER)).mtimeMs;
        if (Date.now() - used > STALE_MS) fs.rmSync(dir, { recursive: true, force: true });
      } else if (e.startsWith('.tmp-packages-') && Date.now() - fs.statSync(dir).mtimeMs > 24 * 3600 * 1000) {
        fs.rmSync(dir, { recursive: true, force: true }); // left by a killed grader
      }
    } catch {
      /* in use or half made by another grader: leave it */
    }
  }
}

/**
 * Stages package folders where the sandbox user can read them, when it cannot read them in
 * place (a checkout under a folder it cannot enter: `mktemp -d`, root's home, a CI runner's
 * home). The copy lives in `<cacheRoot>/packages-<key>/node_modules/...`, keyed by the files'
 * paths, sizes, mtimes and inodes, so it is made once and reused by later runs and other
 * checkouts of the same install. Files are hard-linked when they are already world-readable
 * and on the same file system (no space used), else copied. It is made in a temp folder and
 * renamed into place, so concurrent graders never see half a copy (the loser of the race
 * removes its own and uses the winner's).
 * @param packages real paths of package folders, all inside `nodeModules`
 * @param nodeModules the real path of the project's node_modules
 * @param cacheRoot a folder only this user can write (created 0755 if missing)
 */
export function stagePackages(packages: string[], nodeModules: string, cacheRoot: string): StagedPackages {
  const outside = packages.find((p) => !p.startsWith(nodeModules + path.sep));
  if (outside !== undefined) throw new Error(`stagePackages: ${outside} is not inside ${nodeModules} (a linked package?); it cannot be staged`);
  try {
    ensurePrivateDir(cacheRoot);
  } catch (e) {
    throw new Error(`stagePackages: ${(e as Error).message}`);
  }
  fs.chmodSync(cacheRoot, 0o755);
  const roots = outermost(packages);
  const final = path.join(cacheRoot, `packages-${contentKey(roots, nodeModules)}`);
  const staged = (reused: boolean, counts = { linked: 0, copied: 0 }): StagedPackages => ({
    nodeModules: path.join(final, 'node_modules'),
    packages: packages.map((p) => path.join(final, 'node_modules', path.relative(nodeModules, p))),
    reused,
    ...counts,
  });
  const marker = path.join(final, MARKER);
  if (fs.existsSync(marker)) {
    const now = new Date();
    fs.utimesSync(marker, now, now); // "last used", for pruning
    return staged(true);
  }
  const tmp = path.join(cacheRoot, `.tmp-packages-${process.pid}-${randomBytes(6).toString('hex')}`);
  let counts;
  try {
    counts = build(roots, nodeModules, path.join(tmp, 'node_modules'));
    fs.writeFileSync(path.join(tmp, MARKER), JSON.stringify({ from: nodeModules, packages: packages.length, ...counts, made: new Date().toISOString() }) + '\n', { mode: 0o644 });
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(path.join(tmp, 'node_modules'), 0o755);
    fs.renameSync(tmp, final);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another grader renamed its copy into place first: use that one.
    if (fs.existsSync(marker)) return staged(true);
    throw e;
  }
  prune(cacheRoot, final);
  return staged(false, counts);
}
