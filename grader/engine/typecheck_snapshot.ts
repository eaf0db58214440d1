// The type-check's cold start, done once per environment: a V8 startup snapshot of the
// type-check server (typecheck_server.ts) with TypeScript loaded and every declaration file it
// needs (TypeScript's, Node's, tfjs's, the library's) parsed and bound, kept in this user's
// private grader cache. Parsing them is most of a first type-check's cost, and none of them
// changes between checks.
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graderCacheDir, lockfileHash, pruneCache, touchCacheEntry } from '../sandbox/grader_cache';

/** The server and the modules it loads, as source paths relative to grader/ (compiled into the cache). */
const SERVER_FILES = ['engine/typecheck_server.ts', 'engine/typecheck_submission.ts', 'sandbox/transpile.ts'];

/** Where one environment's snapshot lives, and the files to make it from. */
export interface SnapshotPlace {
  /** `<cache>/typecheck-<key>/`: the compiled server, the snapshot, its build log. */
  dir: string;
  /** The snapshot, once built. */
  blob: string;
  /** The server's sources (relative path -> TypeScript), as they are now. */
  sources: Map<string, string>;
  typescriptJs: string;
}

/** What a snapshot is made with and cannot outlive (see {@link snapshotPlace}). */
export interface SnapshotInputs {
  /** Node's version and architecture: the snapshot format is Node's own. */
  node: string;
  /** The Node binary's identity (path, inode, size, times): a binary replaced in place. */
  nodeBinary: string;
  /** TypeScript's typescript.js identity: the compiler held in the snapshot. */
  typescript: string;
  /** The project folder: declaration files are parsed under their absolute paths. */
  projectRoot: string;
  /** SHA-256 of package-lock.json: the installed packages (tfjs's and Node's typings). */
  lock: string;
  /** The server's sources (its compiler options are in them). */
  sources: Array<[string, string]>;
  /**
   * The identities of the course library's files (lib/): the snapshot holds them parsed. The
   * server would parse an edited one again on every check; a new snapshot parses it once.
   */
  library: string[];
}

/** The snapshot's key: a hash of everything in {@link SnapshotInputs}. */
export function snapshotKey(inputs: SnapshotInputs): string {
  return createHash('sha256').update(JSON.stringify([inputs.node, inputs.nodeBinary, inputs.typescript, inputs.projectRoot, inputs.lock, inputs.sources, inputs.library])).digest('hex').slice(0, 32);
}

/** A file's path and identity: what changes whenever it is replaced or written. */
function fileIdentity(file: string): string {
  const st = fs.statSync(file, { bigint: true });
  return `${file}:${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The identities of the TypeScript files under `dir` (tests included: a few milliseconds for lib/), in path order; none if it is missing. */
function treeIdentities(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...treeIdentities(p));
    else if (e.name.endsWith('.ts')) out.push(fileIdentity(p));
  }
  return out;
}

/**
 * The snapshot's place for this environment, or null when there is no private cache folder. Its
 * key is everything a snapshot cannot outlive ({@link SnapshotInputs}), the library's files
 * included. Other declaration files that change later are parsed again by the server itself: it
 * checks each file's identity before using what it parsed (typecheck_submission.ts).
 */
export function snapshotPlace(projectRoot: string): SnapshotPlace | null {
  const cache = graderCacheDir();
  if (cache === null) return null;
  const typescriptJs = require.resolve('typescript', { paths: [projectRoot] });
  const sources = new Map(SERVER_FILES.map((rel) => [rel, fs.readFileSync(path.join(projectRoot, 'grader', rel), 'utf8')]));
  const lock = lockfileHash(projectRoot);
  const key = snapshotKey({ node: `${process.version} ${process.arch}`, nodeBinary: fileIdentity(process.execPath), typescript: fileIdentity(typescriptJs), projectRoot, lock, sources: [...sources], library: treeIdentities(path.join(projectRoot, 'lib')) });
  const dir = path.join(cache, `typecheck-${key}`);
  return { dir, blob: path.join(dir, 'snapshot.blob'), sources, typescriptJs };
}

/** Writes the compiled server and its modules into `place.dir`; returns the server's path. */
function writeServer(place: SnapshotPlace): string {
  // Loaded here: starting a server from its snapshot needs no compiler in this process.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { transpile } = require('../sandbox/transpile') as typeof import('../sandbox/transpile');
  fs.mkdirSync(place.dir, { recursive: true, mode: 0o755 });
  for (const [rel, src] of place.sources) {
    const out = path.join(place.dir, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o755 });
    const js = transpile(src, path.basename(rel));
    if (js.errors.length > 0) throw new Error(`the type-check server does not compile: ${js.errors[0]}`);
    // Node runs a snapshot's entry script without `exports` (or `module`): give the server its own.
    fs.writeFileSync(out, rel === SERVER_FILES[0] ? `(function (exports) {\n${js.js}\n})({});\n` : js.js);
  }
  return path.join(place.dir, 'engine', 'typecheck_server.js');
}

/** How a type-check server was started. */
export interface StartedServer {
  child: ChildProcess;
  /** `snapshot`: serves from the snapshot; `build`: serves this command, then builds the snapshot in the background. */
  kind: 'snapshot' | 'build';
}

/**
 * Starts the type-check server for `projectRoot`: from its snapshot when this environment has
 * one, else one that serves this command and then builds the snapshot in the background (it
 * outlives the command by a few seconds, and moves the snapshot into place only once it is
 * complete). Null when neither applies here (no private cache folder, or building failed in this
 * environment before): the caller type-checks on a worker thread instead.
 */
export function startTypecheckServer(projectRoot: string): StartedServer | null {
  const place = snapshotPlace(projectRoot);
  if (place === null || fs.existsSync(`${place.blob}.failed`)) return null;
  if (fs.existsSync(place.blob)) {
    touchCacheEntry(place.dir);
    const child = spawn(process.execPath, ['--snapshot-blob', place.blob], { stdio: ['pipe', 'pipe', 'ignore'] });
    return { child, kind: 'snapshot' };
  }
  const server = writeServer(place);
  pruneCache('typecheck', place.dir);
  const log = fs.openSync(path.join(place.dir, 'build.log'), 'w');
  try {
    // Its own process group: Ctrl-C on the command does not stop the snapshot half-written.
    const child = spawn(process.execPath, [server, 'supervise', place.blob, projectRoot, place.typescriptJs], { stdio: ['pipe', 'pipe', log], detached: true });
    return { child, kind: 'build' };
  } finally {
    fs.closeSync(log);
  }
}

/** Records that this environment's snapshot does not work (it is not tried again until the environment changes). */
export function markSnapshotFailed(projectRoot: string, why: string): void {
  const place = snapshotPlace(projectRoot);
  if (place === null) return;
  try {
    fs.mkdirSync(place.dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(`${place.blob}.failed`, `${why}\n`);
    fs.rmSync(place.blob, { force: true });
  } catch {
    /* the cache is best effort */
  }
}

/**
 * Builds this environment's snapshot now if it has none, and waits for it (tests, benchmarks; a
 * command builds it on its first type-check anyway).
 * @returns the snapshot's path, or null when none can be made here (see startTypecheckServer)
 */
export async function ensureTypecheckSnapshot(projectRoot: string): Promise<string | null> {
  const started = startTypecheckServer(projectRoot);
  if (started === null) return null;
  const closed = new Promise<void>((resolve) => started.child.once('close', () => resolve()));
  started.child.stdin!.end();
  await closed;
  const place = snapshotPlace(projectRoot);
  return place !== null && fs.existsSync(place.blob) ? place.blob : null;
}
