/**
 * The child's seal: after it, no code runs in the sandboxed child but code that was on disk
 * before the submission started. Runs in the child (transpiled beside harness.ts); imports only
 * node builtins.
 *
 * Order in the harness: load tfjs and the library, then {@link prepareSubmission} (preloads the
 * library files and packages the submission's files import, and compiles the submission's
 * entry file from disk), then {@link sealProcess}, then the submission's first line runs.
 *
 * After the seal:
 * - the module system loads nothing new: `Module._load` answers only modules already loaded and
 *   the Node modules in {@link STUDENT_BUILTINS}; `Module.prototype._compile`, `load`, every
 *   `Module._extensions` handler and `Module.register` throw (so `Module.wrap`, which Node
 *   keeps as a setter, wraps nothing); `Module`, its prototype and `require.cache` are frozen;
 * - `vm`'s functions throw (the harness keeps its own `compileFunction` for the submission's
 *   files, which come from the trusted parent);
 * - the submission's `require` is not Node's: it has no `cache`, `main` or `extensions`, and
 *   its `module` is a plain object (no `module.constructor` leading to `Module`);
 *   `process.mainModule` is gone;
 * - `process.binding`, `_linkedBinding`, `dlopen`, `chdir`, the uid/gid setters and
 *   `os.setPriority` throw; `process.kill` reaches only the child itself.
 * `eval`, `Function` and its async/generator relatives are refused by V8
 * (`--disallow-code-generation-from-strings`), and WebAssembly does not exist
 * (`--no-expose-wasm`); both flags are set by the parent, and the seal checks them.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The modules' own export objects (not the copies `import * as` makes): the seal changes them.
const Module = require('node:module') as typeof import('node:module');
const os = require('node:os') as typeof import('node:os');
const vm = require('node:vm') as typeof import('node:vm');

/**
 * Node modules a submission may import: none of them compiles or loads code. `fs` is limited by
 * the permission model (reads inside the sandbox, no writes), the network modules by the
 * network namespace. Not here, because they turn strings or files into running code: `vm`,
 * `module`, `repl`, `v8`, `inspector`, `worker_threads`, `child_process`, `cluster`, `wasi`,
 * `test`.
 */
export const STUDENT_BUILTINS: ReadonlySet<string> = new Set([
  'assert', 'assert/strict', 'buffer', 'console', 'constants', 'crypto', 'diagnostics_channel', 'events', 'os', 'path',
  'path/posix', 'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'stream', 'stream/promises',
  'stream/web', 'string_decoder', 'timers', 'timers/promises', 'tty', 'url', 'util', 'util/types', 'zlib',
  'fs', 'fs/promises',
  'dgram', 'dns', 'dns/promises', 'http', 'http2', 'https', 'net', 'tls',
]);

/** Packages a submission may import by name; the course library is imported by path (`../lib/...`). */
export const STUDENT_PACKAGES: ReadonlySet<string> = new Set(['@tensorflow/tfjs']);

/** What the submission's files may import, as the parent compiled them: `require("...")` with a literal. */
const LITERAL_REQUIRE = /\brequire\((["'])([^"'\\\n]+)\1\)/g;

const NO_NEW_CODE = 'no code is loaded or compiled once your module starts';
const IMPORTS = `a submission may import ${[...STUDENT_PACKAGES].join(', ')}, the course library (../lib/...), its own exercise files and Node's ${[...STUDENT_BUILTINS].join(', ')}`;
const NO_POWERS = 'the sandboxed process keeps its folder, user and priority, and loads no native code';

/** The error every closed door throws (code ERR_ACCESS_DENIED, like the permission model's). */
export function sealedError(what: string, why = NO_NEW_CODE): Error {
  const e = new Error(`${what} is not allowed in the grader's sandbox: ${why} (the student README's "What the grader sees, and what it does not"; grader/DESIGN.md, "The sandbox")`);
  (e as any).code = 'ERR_ACCESS_DENIED';
  return e;
}

/** The submission's module system: its files, compiled from disk, and what they may import. */
export interface SubmissionLoader {
  /**
   * Runs one of the submission's files as an entry (the first entry was compiled before the
   * seal) and returns its exports; a file that ran already, as an entry or imported by one,
   * is not run again: its exports are returned (unless its code threw: then it runs again).
   * @param file a .js file inside exercisesDir; absent: the first entry
   */
  run(file?: string): Record<string, unknown>;
}

type Compiled = (exports: unknown, require: unknown, module: unknown, filename: string, dirname: string) => void;

// Intrinsics captured now: the submission may replace Set.prototype.has and the like before it
// calls require, and the checks below must not ask it.
const uncurry = <A extends unknown[], R>(f: (...args: A) => R) => Function.prototype.call.bind(f) as unknown as (self: unknown, ...args: A) => R;
const setHas = uncurry(Set.prototype.has);
const mapGet = uncurry(Map.prototype.get);
const mapSet = uncurry(Map.prototype.set);
const mapDelete = uncurry(Map.prototype.delete);
const startsWith = uncurry(String.prototype.startsWith);
const slice = uncurry(String.prototype.slice);
const apply = Reflect.apply;
// The same for the shared module objects (`require('fs').readFileSync = ...` would otherwise
// hand the compiler a string of the submission's choosing).
const readFileSync = fs.readFileSync;
const { dirname, sep } = path;
const withoutScheme = (request: string): string => (startsWith(request, 'node:') ? slice(request, 5) : request);

const isBuiltin = (Module as any).isBuiltin as (s: string) => boolean;
const originalResolve = (Module as any)._resolveFilename as (request: string, parent: unknown, isMain: boolean) => string;
const originalLoad = (Module as any)._load as (request: string, parent: unknown, isMain: boolean) => unknown;
const cache = (Module as any)._cache as Record<string, { loaded: boolean; exports: unknown }>;
const compileFunction = vm.compileFunction;
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** A stand-in parent module for resolving `request` from `file` (Node's resolver needs only these). */
function parentAt(file: string): unknown {
  return { id: file, filename: file, paths: (Module as any)._nodeModulePaths(dirname(file)) };
}

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

/**
 * Prepares the submission's module system before the seal: preloads (with Node's loader) the
 * library files and packages its files import literally, and compiles its entry file. Nothing
 * of the submission runs here.
 * @param exercisesDir the sandbox's exercises/ folder: the compiled submission, every .js file in it
 * @param libDir the sandbox's lib/ folder (the compiled course library)
 * @param entry the first file to run, inside exercisesDir (more may run later: {@link SubmissionLoader.run})
 */
export function prepareSubmission(exercisesDir: string, libDir: string, entry: string): SubmissionLoader {
  const inside = (file: string, dir: string): boolean => startsWith(file, dir + sep);
  const submissionFiles = new Set(jsFiles(exercisesDir));

  /** Where `request` from `file` leads, or why it may not be imported. */
  const resolve = (request: string, file: string): { builtin: string } | { file: string } => {
    if (typeof request !== 'string') throw new TypeError(`require: the module name must be a string, got ${typeof request}`);
    if (isBuiltin(request)) {
      const name = withoutScheme(request);
      if (!setHas(STUDENT_BUILTINS, name)) throw sealedError(`require('${request}')`, `Node's ${name} can run code that is not in your files; ${IMPORTS}`);
      return { builtin: name };
    }
    const relative = startsWith(request, './') || startsWith(request, '../') || startsWith(request, '/');
    if (!relative && !setHas(STUDENT_PACKAGES, request)) throw sealedError(`require('${request}')`, IMPORTS);
    const found = originalResolve(request, parentAt(file), false);
    if (relative && !setHas(submissionFiles, found) && !inside(found, libDir)) throw sealedError(`require('${request}')`, `${found} is neither your submission nor the course library; ${IMPORTS}`);
    return { file: found };
  };

  // Preload what the files import, with Node's loader, before anything is sealed.
  for (const file of submissionFiles) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(LITERAL_REQUIRE)) {
      try {
        const r = resolve(m[2], file);
        if ('file' in r && !submissionFiles.has(r.file)) originalLoad(r.file, null, false);
      } catch {
        /* the same require fails again, with its message, when the submission runs it */
      }
    }
  }

  const modules = new Map<string, { exports: unknown }>();
  const compile = (file: string): Compiled => compileFunction(readFileSync(file, 'utf8'), PARAMS, { filename: file }) as unknown as Compiled;
  // A file whose code threw is forgotten, as Node forgets it: the next import or entry run runs
  // it again (and it throws again) rather than handing out what it exported before the throw.
  const load = (file: string, fn: Compiled): unknown => {
    const module = { exports: {} as unknown };
    mapSet(modules, file, module);
    try {
      apply(fn, module.exports, [module.exports, requireFrom(file), module, file, dirname(file)]);
    } catch (e) {
      mapDelete(modules, file);
      throw e;
    }
    return module.exports;
  };
  const requireFrom = (file: string) =>
    function require(request: string): unknown {
      const r = resolve(request, file);
      if ('builtin' in r) return originalLoad(r.builtin, null, false);
      const seen = mapGet(modules, r.file);
      if (seen) return seen.exports;
      if (setHas(submissionFiles, r.file)) return load(r.file, compile(r.file));
      const done = cache[r.file];
      if (done?.loaded) return done.exports;
      throw sealedError(`require('${request}')`, `${NO_NEW_CODE}, and it was not loaded before: import it at the top of your file`);
    };

  const entryFn = compile(entry);
  return {
    run: (file = entry) => {
      if (!setHas(submissionFiles, file)) throw new TypeError(`${file} is not one of the submission's files`);
      const seen = mapGet(modules, file);
      if (seen) return seen.exports as Record<string, unknown>;
      return load(file, file === entry ? entryFn : compile(file)) as Record<string, unknown>;
    },
  };
}

function thrower(what: string, why?: string): () => never {
  return () => {
    throw sealedError(what, why);
  };
}

function lock(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: false, configurable: false, enumerable: false });
}

/**
 * Seals the process (see the file's header). Call once, after {@link prepareSubmission} and
 * before the submission's first line. Throws if the parent did not start Node with the flags
 * the seal relies on (then nothing is graded: a grader error, never the student's).
 */
export function sealProcess(): void {
  if (typeof (globalThis as any).WebAssembly !== 'undefined') throw new Error('sandbox: WebAssembly is exposed (the child must run with --no-expose-wasm)');
  let evalRefused = false;
  try {
    (0, eval)('0');
  } catch {
    evalRefused = true;
  }
  if (!evalRefused) throw new Error('sandbox: eval works (the child must run with --disallow-code-generation-from-strings)');

  const M = Module as any;
  M._load = function sealedLoad(request: string, parent: unknown, isMain: boolean): unknown {
    if (isBuiltin(request)) {
      if (setHas(STUDENT_BUILTINS, withoutScheme(request))) return originalLoad(request, parent, isMain);
      throw sealedError(`require('${request}')`);
    }
    const done = cache[originalResolve(request, parent, isMain)];
    if (done?.loaded) return done.exports;
    throw sealedError(`require('${request}')`);
  };
  for (const key of ['_compile', 'load']) lock(M.prototype, key, thrower(`Module.prototype.${key}`));
  for (const ext of Object.keys(M._extensions)) M._extensions[ext] = thrower(`Module._extensions['${ext}']`);
  Object.freeze(M._extensions);
  for (const key of ['register', 'runMain', '_preloadModules']) if (key in M) lock(M, key, thrower(`Module.${key}`));
  Object.freeze(M.prototype);
  Object.freeze(cache);
  Object.freeze(M);

  const v = vm as any;
  for (const key of ['Script', 'createScript', 'runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction', 'SourceTextModule', 'SyntheticModule']) {
    if (key in v) lock(v, key, thrower(`vm.${key}`));
  }
  Object.freeze(v);

  const p = process as any;
  lock(p, 'mainModule', undefined);
  for (const key of ['binding', '_linkedBinding', 'dlopen', 'chdir', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups']) {
    if (key in p) lock(p, key, thrower(`process.${key}`, NO_POWERS));
  }
  // process.kill goes through process._kill: only the child itself may be signalled (without a
  // PID namespace, other submissions' children run as the same user).
  const ownPid = process.pid;
  const kill = p._kill.bind(p);
  const EPERM = -(os.constants.errno.EPERM ?? 1);
  lock(p, '_kill', (pid: number, sig: number) => (pid === ownPid ? kill(pid, sig) : EPERM));
  lock(os, 'setPriority', thrower('os.setPriority', NO_POWERS));
}
