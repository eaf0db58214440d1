import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { madeOnce } from './code_cache_dir';
import { readCache, writeCache } from './grader_cache';
import { transpile } from './transpile';
import { packageClosure } from './package_closure';

/** Compiled files every sandbox folder gets: the harness and the course library. */
export interface SandboxBase {
  /** relative path -> JS text */
  files: Map<string, string>;
  /** Package folders (real paths) the child may read. */
  readablePackages: string[];
  /** What the files were compiled from (every source, TypeScript's version, transpile.ts): it names the shared folder. */
  key: string;
}

const bases = new Map<string, SandboxBase>();

/** The child side, run inside the sandbox: the harness, the seal it applies (see harness.ts), its code cache and its startup snapshot's entry. */
export const CHILD_FILES = ['harness.ts', 'child_seal.ts', 'code_cache.ts', 'child_snapshot.ts'];

function listTs(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...listTs(dir, r));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(r);
  }
  return out;
}

const BARE_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]([^'"./][^'"]*)['"]/g;

function packageName(spec: string): string | null {
  if (spec.startsWith('node:')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The harness and `lib/` compiled to JS (once per process, cached by project root; and once per
 * environment: the compiled files are kept in the grader's cache, keyed by every source, the
 * compiler's version and its options), and the packages the library imports, so each submission
 * only adds its own files.
 * @param projectRoot the trusted project (holds lib/ and node_modules/)
 */
export function sandboxBase(projectRoot: string): SandboxBase {
  const hit = bases.get(projectRoot);
  if (hit) return hit;
  const sources = new Map<string, { name: string; src: string }>(); // compiled path -> TypeScript file
  // From the project, not __dirname: after `npm run build` this file runs from dist/, which has no .ts.
  for (const name of CHILD_FILES) sources.set(name.replace(/\.ts$/, '.js'), { name, src: fs.readFileSync(path.join(projectRoot, 'grader', 'sandbox', name), 'utf8') });
  const roots = new Set<string>(['@tensorflow/tfjs']);
  const libDir = path.join(projectRoot, 'lib');
  for (const rel of listTs(libDir)) {
    const src = fs.readFileSync(path.join(libDir, rel), 'utf8');
    sources.set(path.join('lib', rel.replace(/\.ts$/, '.js')), { name: rel, src });
    for (const m of src.matchAll(BARE_IMPORT)) {
      const name = packageName(m[1]);
      if (name !== null && !isBuiltin(name)) roots.add(name);
    }
  }
  const h = createHash('sha256').update(`${ts.version}\0${fs.readFileSync(path.join(projectRoot, 'grader', 'sandbox', 'transpile.ts'), 'utf8')}\0`);
  for (const [rel, { src }] of sources) h.update(`${rel}\0${src}\0`);
  const key = h.digest('hex').slice(0, 32);
  const cached = readCache<Record<string, string>>('sandbox-lib', key);
  let files: Map<string, string>;
  if (cached !== null) {
    files = new Map(Object.entries(cached));
  } else {
    files = new Map([...sources].map(([rel, { name, src }]) => [rel, transpile(src, name).js]));
    writeCache('sandbox-lib', key, Object.fromEntries(files));
  }
  const base = { files, readablePackages: packageClosure([...roots], projectRoot), key };
  bases.set(projectRoot, base);
  return base;
}

function isBuiltin(name: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('node:module') as { builtinModules: string[] }).builtinModules.includes(name);
}

/** A submission's sandbox folder and what its child runs and may read. */
export interface SandboxDir {
  /** The submission's folder: `exercises/<name>.js`, and `lib` (a link to the shared folder's, or a copy). Removed after grading. */
  dir: string;
  /** The harness the child runs (in the shared folder, or copied into `dir`). */
  harness: string;
  /** Folders the child may read besides the packages: `dir`, and the shared folder when there is one. */
  readable: string[];
}

/**
 * Writes `files` (relative path -> text) under `dir`: folders 0755, files 0644 (the sandbox user
 * reads them; the child never writes).
 */
function writeTree(dir: string, files: Map<string, string>): void {
  const made = new Set<string>();
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
      made.add(parent);
    }
    fs.writeFileSync(file, text, { mode: 0o644 });
  }
}

/**
 * The folder every sandbox folder of this environment shares: the harness and the compiled
 * library (the base's files), written once into the grader's cache and named by what they were
 * compiled from (SandboxBase.key), instead of a copy per submission (about 130 files, slow to
 * create on a busy disk). One that lost or changed a file since (a temp cleaner) is made again.
 * Null when it cannot be made (each sandbox folder then gets a copy).
 * @param cacheDir this user's cache folder the sandbox user can enter (SandboxSetup.cacheDir)
 */
export function ensureSharedSandboxDir(base: SandboxBase, cacheDir: string): string | null {
  const make = (): string | null =>
    madeOnce(cacheDir, 'sandbox-shared', base.key, (tmp) => {
      writeTree(tmp, base.files);
      chmodTree(tmp);
      return `${base.files.size} files\n`;
    });
  const dir = make();
  if (dir === null || isWhole(dir, base.files)) return dir;
  // A temp cleaner removes old files one by one: a child would then miss part of the library.
  fs.rmSync(dir, { recursive: true, force: true });
  const again = make();
  return again !== null && isWhole(again, base.files) ? again : null;
}

/** Whether every file of `files` is in `dir` at its length (about a millisecond for the library). */
function isWhole(dir: string, files: Map<string, string>): boolean {
  for (const [rel, text] of files) {
    try {
      if (fs.statSync(path.join(dir, rel)).size !== Buffer.byteLength(text)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Writes a fresh sandbox folder for one submission: its compiled files (`exercises/<name>.js`)
 * and the library beside them, as a link to the shared folder's ({@link ensureSharedSandboxDir})
 * or, without one, a copy of the harness and the library. World-readable when the child runs as
 * another user; never writable by the child (no --allow-fs-write).
 * @param shared the shared folder, or null (copy the base's files)
 */
export function writeSandboxDir(base: SandboxBase, exerciseFiles: Map<string, string>, worldReadable: boolean, tmpRoot: string, shared: string | null = null): SandboxDir {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'clab-sbx-'));
  const own = new Map([...exerciseFiles].map(([k, v]) => [path.join('exercises', k), v] as [string, string]));
  fs.mkdirSync(path.join(dir, 'exercises'), { mode: 0o755 });
  writeTree(dir, shared === null ? new Map([...base.files, ...own]) : own);
  if (worldReadable) chmodTree(dir);
  if (shared === null) return { dir, harness: path.join(dir, 'harness.js'), readable: [dir] };
  // Node resolves the library's files to their real paths, in the shared folder: the child reads them there.
  fs.symlinkSync(path.join(shared, 'lib'), path.join(dir, 'lib'), 'junction');
  return { dir, harness: path.join(shared, 'harness.js'), readable: [dir, shared] };
}

/** Makes a folder tree enterable and readable by others (links are left alone: they point elsewhere). */
function chmodTree(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) chmodTree(p);
    else fs.chmodSync(p, 0o644);
  }
}
