// Where V8's code cache of the packages (code_cache.ts) is kept. The sandboxed children's: made
// once per environment, by a trusted process with exactly the children's V8 flags (V8 refuses a
// cache made with other flags), in the grader's private cache folder, readable by the sandbox
// user. The compiled grader's own (TypeScript, tfjs): filled by the grader as it runs.
import { spawnSync } from 'node:child_process';
import type { SandboxCommand } from './sandbox_command';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir } from './ensure_private_dir';
import { useCodeCache } from './code_cache';
import { graderCacheDir, lockfileHash, pruneCache, touchCacheEntry } from './grader_cache';

const DONE = '.complete';

/** The V8 flags of every sandboxed child (sandbox_process.ts); the code cache is made with them too. */
export function childV8Flags(memoryMb: number): string[] {
  // No code from strings (eval, Function) and no WebAssembly: see child_seal.ts.
  return [`--max-old-space-size=${memoryMb}`, '--disallow-code-generation-from-strings', '--no-expose-wasm'];
}

/**
 * A sandboxed child's command line after the OS wrappers: Node with the permission model, reading
 * only `readable` (folders), the children's V8 flags, from `snapshot` when given, running `script`.
 */
export function childNodeArgs(memoryMb: number, readable: string[], snapshot: string | null, script: string): string[] {
  return [
    process.execPath,
    '--experimental-permission',
    '--no-warnings',
    ...childV8Flags(memoryMb),
    // One flag per path: Node 20 does not split a comma-separated list.
    ...readable.map((p) => `--allow-fs-read=${p}/`),
    // Read by Node before the permission model applies: the child itself cannot read it.
    ...(snapshot === null ? [] : ['--snapshot-blob', snapshot]),
    script,
  ];
}

/** This Node: its version, architecture and binary (a rebuilt binary makes V8's caches stale). */
function nodeIdentity(): unknown[] {
  const st = fs.statSync(process.execPath);
  return [process.version, process.arch, process.execPath, st.size, st.mtimeMs, st.ctimeMs];
}

/** The environment the children are made for: their NODE_PATH, nothing else of this process's. */
function childBuildEnv(nodeModules: string): NodeJS.ProcessEnv {
  return { NODE_PATH: nodeModules, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
}

/**
 * The cache entry `<kind>-<key>` in `cacheDir`, made now by `make` if this environment has none:
 * `make` fills a fresh folder and returns what the entry's completion mark records; the folder is
 * renamed into place only then, so a child never reads half an entry (a grader that made the same
 * entry first wins). The sandbox user may enter it and read its files; entries of the same kind
 * unused for a week go. Null when no entry could be made or kept.
 */
export function madeOnce(cacheDir: string, kind: string, key: string, make: (tmp: string) => string): string | null {
  try {
    ensurePrivateDir(cacheDir);
  } catch {
    return null;
  }
  const dir = path.join(cacheDir, `${kind}-${key}`);
  if (fs.existsSync(path.join(dir, DONE))) {
    touchCacheEntry(dir);
    return dir;
  }
  const tmp = path.join(cacheDir, `.tmp-${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    fs.mkdirSync(tmp, { mode: 0o755 });
    const done = make(tmp);
    fs.writeFileSync(path.join(tmp, DONE), done);
    fs.chmodSync(path.join(tmp, DONE), 0o644);
    fs.chmodSync(tmp, 0o755); // whatever the umask: the sandbox user must enter it
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
    return fs.existsSync(path.join(dir, DONE)) ? dir : null;
  }
  pruneCache(kind, dir);
  pruneCache(`.tmp-${kind}`, dir); // left by a grader that was killed while making one
  return dir;
}

/**
 * The key of what is made for the children in one environment: Node (version, binary), their V8
 * flags, the packages' folder, package-lock.json and the code that makes and reads it.
 */
function childEnvironmentKey(projectRoot: string, nodeModules: string, flags: string[], code: string): string {
  const lock = lockfileHash(projectRoot);
  return createHash('sha256')
    .update(JSON.stringify([...nodeIdentity(), flags, nodeModules, lock, code]))
    .digest('hex')
    .slice(0, 32);
}

/** What the code cache is made with. */
export interface CodeCacheInputs {
  projectRoot: string;
  /** This user's cache folder the sandbox user can enter (SandboxSetup.cacheDir). */
  cacheDir: string;
  /** The children's NODE_PATH: the packages they load. */
  nodeModules: string;
  memoryMb: number;
  /** code_cache.ts compiled (from the sandbox's base files). */
  codeCacheJs: string;
}

/**
 * The folder of the children's code cache, made now if this environment has none; null when it
 * cannot be made or kept (the children then compile tfjs as usual: slower, the same results).
 * Its key: Node (version, binary), the V8 flags, the packages' folder, package-lock.json and the
 * code that makes and reads it.
 */
export function ensureCodeCache(inputs: CodeCacheInputs): string | null {
  const flags = childV8Flags(inputs.memoryMb);
  return madeOnce(inputs.cacheDir, 'code-cache', childEnvironmentKey(inputs.projectRoot, inputs.nodeModules, flags, inputs.codeCacheJs), (tmp) => {
    fs.writeFileSync(path.join(tmp, 'code_cache.js'), inputs.codeCacheJs);
    const r = spawnSync(process.execPath, [...flags, path.join(tmp, 'code_cache.js'), 'produce', tmp], { env: childBuildEnv(inputs.nodeModules), encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0 || !/^\d+ entries/.test(r.stdout)) throw new Error(r.stderr || r.error?.message || `exit ${r.status}`);
    fs.rmSync(path.join(tmp, 'code_cache.js'));
    for (const f of fs.readdirSync(tmp)) fs.chmodSync(path.join(tmp, f), 0o644);
    return r.stdout;
  });
}

/** What the children's snapshot is made with. */
export interface ChildSnapshotInputs {
  projectRoot: string;
  /** This user's cache folder the sandbox user can enter (SandboxSetup.cacheDir). */
  cacheDir: string;
  /** The children's NODE_PATH: the packages they load. */
  nodeModules: string;
  /** Package folders the children may read. */
  readablePackages: string[];
  /** How the children are started (the snapshot is tried once that way before it is used). */
  command: SandboxCommand;
  memoryMb: number;
  /** child_snapshot.ts compiled (from the sandbox's base files). */
  childSnapshotJs: string;
}

/**
 * The children's startup snapshot (child_snapshot.ts), made now if this environment has none;
 * null when it cannot be made, or when a child started from it the way the sandbox starts them
 * (wrappers, permission model, flags) does not find tfjs preloaded (the children then start
 * without it: slower, the same results). Its key is the code cache's (Node, V8 flags, packages'
 * folder, package-lock.json) with child_snapshot.js; a failed attempt is remembered under it.
 */
export function ensureChildSnapshot(inputs: ChildSnapshotInputs): string | null {
  const flags = childV8Flags(inputs.memoryMb);
  const env = childBuildEnv(inputs.nodeModules);
  const dir = madeOnce(inputs.cacheDir, 'child-snapshot', childEnvironmentKey(inputs.projectRoot, inputs.nodeModules, flags, inputs.childSnapshotJs), (tmp) => {
    // Node runs a snapshot's entry script without `exports`: give it its own.
    fs.writeFileSync(path.join(tmp, 'child_snapshot.js'), `(function (exports) {\n${inputs.childSnapshotJs}\n})({});\n`);
    const built = spawnSync(process.execPath, ['--no-warnings', ...flags, '--snapshot-blob', path.join(tmp, 'child.blob'), '--build-snapshot', path.join(tmp, 'child_snapshot.js')], { cwd: tmp, env, encoding: 'utf8', timeout: 120000 });
    fs.rmSync(path.join(tmp, 'child_snapshot.js'));
    fs.chmodSync(tmp, 0o755); // the trial child below runs as the sandbox user
    if (built.status !== 0) {
      fs.rmSync(path.join(tmp, 'child.blob'), { force: true });
      return `not made: node --build-snapshot ended with ${built.status ?? built.signal ?? built.error?.message}: ${built.stderr.slice(0, 400)}\n`;
    }
    fs.chmodSync(path.join(tmp, 'child.blob'), 0o644);
    // Tried once as a child is started: a snapshot that does not start, or does not hand
    // its tfjs to the child's loader, is not used.
    fs.writeFileSync(path.join(tmp, 'trial.js'), "const f = require.resolve('@tensorflow/tfjs'); process.stdout.write(String(require.cache[f] !== undefined && typeof require(f).tensor === 'function'));\n", { mode: 0o644 });
    const args = [...inputs.command.prefix, ...childNodeArgs(inputs.memoryMb, [tmp, ...inputs.readablePackages], path.join(tmp, 'child.blob'), path.join(tmp, 'trial.js'))];
    const trial = spawnSync(args[0], args.slice(1), { cwd: tmp, env, encoding: 'utf8', timeout: 60000 });
    fs.rmSync(path.join(tmp, 'trial.js'));
    if (trial.stdout === 'true') return 'made\n';
    fs.rmSync(path.join(tmp, 'child.blob'), { force: true });
    return `not used: a child started from it did not find tfjs preloaded (${trial.stdout.slice(0, 100)} ${trial.stderr.slice(0, 300)})\n`;
  });
  const blob = dir === null ? null : path.join(dir, 'child.blob');
  return blob !== null && fs.existsSync(blob) ? blob : null;
}

/**
 * Compiles the packages this process loads (TypeScript, tfjs: about 0.2 CPU-s of every command)
 * from the grader's own code cache, in its private cache folder, until `finish()`, which writes
 * an entry for each package file that had none. Its key: Node (version, binary), this process's
 * V8 flags and NODE_OPTIONS, and code_cache.ts; an entry is named by the SHA-256 of its source.
 * @param codeCacheJs the text of the compiled code_cache.js (part of the key)
 * @returns null when there is no private cache folder (then nothing changes)
 */
export function useGraderCodeCache(codeCacheJs: string): { finish(): void } | null {
  const cacheDir = graderCacheDir();
  if (cacheDir === null) return null;
  try {
    const key = createHash('sha256')
      .update(JSON.stringify([...nodeIdentity(), process.execArgv, process.env.NODE_OPTIONS ?? '', codeCacheJs]))
      .digest('hex')
      .slice(0, 32);
    const dir = path.join(cacheDir, `grader-code-cache-${key}`);
    ensurePrivateDir(dir);
    touchCacheEntry(dir);
    const use = useCodeCache(dir, 'fill');
    return {
      finish: () => {
        use.restore();
        try {
          if (use.write() > 0) pruneCache('grader-code-cache', dir);
        } catch {
          /* a full disk: the next command compiles them again */
        }
      },
    };
  } catch {
    return null;
  }
}
