// The release manifest: the SHA-256 of every course file (what a student must not change),
// written by `release`, compared by `verify` in the student's repository and by `grade` /
// `grade-all --manifest` with the instructor's copy.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SubmissionError } from '../exit_codes';
import type { CourseFilesCheck } from './result_types';
import { formatBytes, readZipDirectory, ZIP_LIMITS, type ZipEntry } from './zip_directory';
import { zipEntryBytes } from './zip_entry_bytes';

/** The `format` of a release manifest; the number changes on a breaking change. */
export const RELEASE_MANIFEST_FORMAT = 'clab-release-manifest@1';

/** Where a release keeps the student's copy of its manifest (relative to the repository). */
export const RELEASE_MANIFEST_FILE = 'grader/frozen/release-manifest.json';

/**
 * The course files, relative to the repository; a trailing `/` guards a folder: every file in
 * it, and any file added to it.
 * - `.github/workflows/`: the Classroom workflow reports the score, and any workflow added there could report one;
 * - `grader/`: the grader and the frozen public tests (what `check` scores with);
 * - `lib/`: the sandbox runs the submission beside this library, transpiled from these files (a
 *   changed building block, or a library loss re-exported under another name, changes a score);
 * - `scripts/`: the student's `npm test` and set-up (they report the score and "verified");
 * - `package.json`, `package-lock.json`: what `npm ci` installs and what the npm scripts run;
 * - `tsconfig.json`, `tsconfig.build.json`: the student's type-check and build.
 * Not guarded: `exercises/` (the student's work), `notebooks/` (run and saved by students),
 * `kernel/` (runs the student's notebooks; `clab.check` starts the grader as its own process),
 * `README.md`, `.gitignore`: no grade depends on them.
 */
export const GUARDED = ['.github/workflows/', 'grader/', 'lib/', 'scripts/', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/** How line endings are hashed; written into every manifest so it explains itself. */
const LINE_ENDINGS = 'CRLF is hashed as LF in every file without a NUL byte (a Windows checkout with core.autocrlf is not a change)';

/** A release manifest: the course files' SHA-256, in the file `release` writes. */
export interface ReleaseManifest {
  format: typeof RELEASE_MANIFEST_FORMAT;
  hash: 'sha256';
  lineEndings: string;
  /** The guarded files and folders (folders end with `/`). */
  guarded: string[];
  /** The student's copy of this manifest: not in `files` (it cannot hash itself); a copy must equal the manifest compared with. */
  self: string;
  /** SHA-256 of the listing `<hash>  <path>\n` over `files` in order (what `sha256sum` prints). */
  digest: string;
  /** Path (with `/`, sorted by UTF-8 bytes) -> SHA-256 of its content, CRLF read as LF. */
  files: Record<string, string>;
}

/** Files walked at most in one repository's guarded folders (a planted node_modules stops here, reported). */
const MAX_FILES = 20000;
/** Bytes inflated at most from one course file in a zip, and from all of them (the archive's own limits are the submission reader's, ZIP_LIMITS). */
const MAX_ZIP_FILE = 8 * 1024 * 1024;
const MAX_ZIP_TOTAL = 64 * 1024 * 1024;

/** The content of a course file as found, or why it is not a readable regular file. */
type Reader = () => Buffer | string;

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The bytes a file is hashed as: CRLF read as LF when the file holds no NUL byte (text, as git
 * decides it), so a checkout that turned LF into CRLF hashes as the release. A lone CR counts.
 * JavaScript, TypeScript, JSON, YAML and Markdown read CRLF and LF alike, so no grade can
 * depend on the difference.
 */
export function canonicalBytes(b: Buffer): Buffer {
  if (b.includes(0) || !b.includes('\r\n')) return b;
  return Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/** SHA-256 (hex) of a file's {@link canonicalBytes}. */
export function courseFileHash(b: Buffer): string {
  return createHash('sha256').update(canonicalBytes(b)).digest('hex');
}

function digestOf(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const [p, hash] of Object.entries(files)) h.update(`${hash}  ${p}\n`);
  return h.digest('hex');
}

/** Not counted as added: what editors, OSes and Python leave beside files. Hidden names count in `.github/workflows/` (GitHub runs every workflow there). */
function clutter(name: string, rel: string): boolean {
  if (['__pycache__', 'Thumbs.db', 'desktop.ini'].includes(name)) return true;
  return name.startsWith('.') && !rel.startsWith('.github/workflows/');
}

/** The course files under `root` (a folder): path -> reader, walking only the guarded paths. */
function folderFiles(root: string, guarded: string[]): { files: Map<string, Reader>; truncated: string[] } {
  const files = new Map<string, Reader>();
  const truncated: string[] = [];
  let budget = MAX_FILES;
  const visit = (rel: string): void => {
    const abs = path.join(root, ...rel.split('/'));
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return; // missing: the comparison names it
    }
    if (st.isSymbolicLink()) files.set(rel, () => 'a symbolic link');
    else if (st.isFile()) files.set(rel, () => fs.readFileSync(abs));
    else if (!st.isDirectory()) files.set(rel, () => 'not a regular file');
    else {
      for (const name of fs.readdirSync(abs).sort(byBytes)) {
        if (clutter(name, `${rel}/${name}`)) continue;
        if (budget-- === 0) truncated.push(`${rel}/ (more than ${MAX_FILES} files in the guarded folders; the rest not listed)`);
        if (budget < 0) return;
        visit(`${rel}/${name}`);
      }
    }
  };
  for (const g of guarded) visit(g.replace(/\/$/, ''));
  return { files, truncated };
}

/** The first path segment of every guarded entry and of the manifest's copy: what marks a repository's root. */
function markers(m: Pick<ReleaseManifest, 'guarded' | 'self'>): string[] {
  return [...new Set([...m.guarded, m.self].map((g) => g.split('/')[0]))];
}

/** The repository inside a submission folder: the folder itself, or the one subfolder (GitHub's "Download ZIP" top folder) that holds course files. */
function folderRoot(dir: string, m: ReleaseManifest): string | null {
  const count = (d: string) => markers(m).filter((t) => fs.existsSync(path.join(d, t))).length;
  if (count(dir) > 0) return dir;
  let best: [string, number] | null = null;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
    const n = count(path.join(dir, e.name));
    if (n > 0 && (best === null || n > best[1])) best = [path.join(dir, e.name), n];
  }
  return best?.[0] ?? null;
}

/**
 * The course files in a .zip, read with the submission reader's bounded zip reader (its size,
 * entry and zip-bomb limits; see zip_directory.ts): the repository root is the prefix under
 * which most of the manifest's paths are found. An entry is inflated only when compared, within
 * {@link MAX_ZIP_FILE} each and {@link MAX_ZIP_TOTAL} in all.
 * @throws SubmissionError (exit 3) when the archive is refused as a whole
 */
function zipFiles(file: string, m: ReleaseManifest): { files: Map<string, Reader>; truncated: string[] } {
  const size = fs.statSync(file).size;
  if (size > ZIP_LIMITS.archiveBytes) throw new SubmissionError(`${file}: too large: ${formatBytes(size)}, the limit is ${formatBytes(ZIP_LIMITS.archiveBytes)}`);
  const buf = fs.readFileSync(file);
  const usable = readZipDirectory(buf, file).filter((e) => e.kind !== 'directory' && e.unsafe === null && e.path !== '' && !e.path.startsWith('__MACOSX/'));
  const known = new Set([...Object.keys(m.files), m.self]);
  const votes = new Map<string, number>();
  for (const e of usable) {
    const parts = e.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      if (known.has(parts.slice(i).join('/'))) {
        const prefix = parts.slice(0, i).map((p) => `${p}/`).join('');
        votes.set(prefix, (votes.get(prefix) ?? 0) + 1);
      }
    }
  }
  const prefix = [...votes].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0];
  const files = new Map<string, Reader>();
  if (prefix === undefined) return { files, truncated: [] };
  let budget = MAX_ZIP_TOTAL;
  const read = (e: ZipEntry): Buffer | string => {
    if (e.kind === 'symlink') return 'a symbolic link';
    if (e.size > MAX_ZIP_FILE || e.size > budget) return 'too large to read from the zip';
    budget -= e.size;
    try {
      return zipEntryBytes(buf, e, file);
    } catch (err) {
      return `not readable from the zip (${(err as Error).message})`;
    }
  };
  for (const e of usable) {
    if (!e.path.startsWith(prefix)) continue;
    const rel = e.path.slice(prefix.length);
    const root = m.guarded.find((g) => (g.endsWith('/') ? rel.startsWith(g) : rel === g)) ?? (rel === m.self ? rel : undefined);
    if (root === undefined) continue;
    const below = rel.slice(root.length).split('/');
    if (below.some((name, i) => name !== '' && clutter(name, root + below.slice(0, i + 1).join('/')))) continue;
    // Unzip tools disagree on which of two copies of a path is the file: neither is as released.
    files.set(rel, files.has(rel) ? () => 'in the zip twice' : () => read(e));
  }
  return { files, truncated: [] };
}

/**
 * The manifest of a release folder: every course file ({@link GUARDED}) with its SHA-256. The
 * manifest's own copy ({@link RELEASE_MANIFEST_FILE}) is left out.
 * @param root the release folder, fully written
 */
export function buildReleaseManifest(root: string): ReleaseManifest {
  const { files: found } = folderFiles(root, GUARDED);
  const files: Record<string, string> = {};
  for (const p of [...found.keys()].filter((p) => p !== RELEASE_MANIFEST_FILE).sort(byBytes)) {
    const b = found.get(p)!();
    if (typeof b === 'string') throw new Error(`release manifest: ${p} in ${root} is ${b}; a release holds regular files only`);
    files[p] = courseFileHash(b);
  }
  return { format: RELEASE_MANIFEST_FORMAT, hash: 'sha256', lineEndings: LINE_ENDINGS, guarded: [...GUARDED], self: RELEASE_MANIFEST_FILE, digest: digestOf(files), files };
}

/** The manifest as written to disk (the same text in the release and in the instructor's copy). */
export function releaseManifestText(m: ReleaseManifest): string {
  const { format, hash, lineEndings, guarded, self, digest, files } = m;
  return JSON.stringify({ format, hash, lineEndings, guarded, self, digest, files }, null, 2) + '\n';
}

/** A relative path with `/`, no `..`, not absolute. */
const isRelative = (p: unknown): p is string => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..');

/**
 * Parses a release manifest and checks it: its format, every path relative, every hash 64 hex
 * digits, and its digest matching its files (an edited manifest is refused).
 * @param text the file's content
 * @param where the file, for messages
 * @throws SubmissionError (exit 3) naming the file, what is wrong and the fix
 */
export function parseReleaseManifest(text: string, where: string): ReleaseManifest {
  const bad = (why: string) => new SubmissionError(`${where} is not a usable release manifest: ${why}; use the file that clab-grade release wrote (beside the release folder), or release again`);
  let m: ReleaseManifest;
  try {
    m = JSON.parse(text) as ReleaseManifest;
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (m === null || typeof m !== 'object' || m.format !== RELEASE_MANIFEST_FORMAT) throw bad(`format must be "${RELEASE_MANIFEST_FORMAT}", got ${JSON.stringify((m as { format?: unknown } | null)?.format)}`);
  if (!Array.isArray(m.guarded) || !m.guarded.every(isRelative)) throw bad('guarded must be a list of relative paths');
  if (!isRelative(m.self)) throw bad('self must be a relative path');
  if (m.files === null || typeof m.files !== 'object') throw bad('files must map paths to hashes');
  for (const [p, h] of Object.entries(m.files)) {
    if (!isRelative(p) || typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) throw bad(`files: ${JSON.stringify(p)} -> ${JSON.stringify(h)} is not a relative path and a SHA-256`);
  }
  if (m.digest !== digestOf(m.files)) throw bad('its digest does not match its files (the file was edited)');
  return m;
}

/**
 * Reads and checks a release manifest file ({@link parseReleaseManifest}).
 * @throws SubmissionError (exit 3) when it is missing, unreadable or not a release manifest
 */
export function readReleaseManifest(file: string): ReleaseManifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SubmissionError(`release manifest ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`}; give the file that clab-grade release wrote beside the release folder`);
  }
  return parseReleaseManifest(text, file);
}

/**
 * Compares a submission's course files with a release manifest: each file the manifest lists
 * that differs (content, or a link or folder in its place) is modified, each it lists that is
 * absent is missing, each other file in a guarded folder is added (not hidden files or
 * `__pycache__/` outside `.github/workflows/`). The submission's copy of the manifest must
 * equal `manifest` in content. A submission with none of the course files (only exercises/) is
 * `no-course-files`, never `verified`.
 * @param source a repository folder (or one holding it in a single top folder) or a .zip of one
 * @param manifest the manifest to compare with (the instructor's copy, or the student's own)
 * @param manifestPath where `manifest` was read, for the reports
 */
export function checkCourseFiles(source: string, manifest: ReleaseManifest, manifestPath: string): CourseFilesCheck {
  let found: { files: Map<string, Reader>; truncated: string[] };
  if (fs.statSync(source).isDirectory()) {
    const root = folderRoot(source, manifest);
    found = root === null ? { files: new Map(), truncated: [] } : folderFiles(root, [...manifest.guarded, manifest.self]);
  } else {
    found = zipFiles(source, manifest);
  }
  const { files, truncated } = found;
  const result: CourseFilesCheck = { status: 'verified', modified: [], added: [...truncated], missing: [], files: Object.keys(manifest.files).length, manifest: { path: manifestPath, digest: manifest.digest } };
  if (files.size === 0) return { ...result, status: 'no-course-files', added: [] };
  for (const [p, hash] of Object.entries(manifest.files)) {
    const read = files.get(p);
    if (read === undefined) result.missing.push(p);
    else {
      const b = read();
      if (typeof b === 'string' || courseFileHash(b) !== hash) result.modified.push(p);
    }
  }
  const copy = files.get(manifest.self);
  if (copy === undefined) result.missing.push(manifest.self);
  else if (!sameManifest(copy(), manifest)) result.modified.push(manifest.self);
  for (const p of files.keys()) if (!(p in manifest.files) && p !== manifest.self) result.added.push(p);
  for (const list of [result.modified, result.added, result.missing]) list.sort(byBytes);
  if (result.modified.length + result.added.length + result.missing.length > 0) result.status = 'modified';
  return result;
}

/** Whether a submission's copy of the manifest says what `m` says (formatting aside). */
function sameManifest(copy: Buffer | string, m: ReleaseManifest): boolean {
  if (typeof copy === 'string') return false;
  try {
    return releaseManifestText(parseReleaseManifest(copy.toString('utf8'), 'copy')) === releaseManifestText(m);
  } catch {
    return false;
  }
}
