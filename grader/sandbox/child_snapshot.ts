/**
 * The sandboxed children's V8 startup snapshot: a heap with tfjs loaded (cpu backend, production
 * mode), made once per environment by a trusted process with exactly the children's V8 flags
 * (code_cache_dir.ts). A child started from it (`node --snapshot-blob <blob> <harness.js>`) skips
 * compiling and running tfjs's module code, about a third of a child's start-up.
 *
 * This file is the snapshot's entry script (`node --snapshot-blob <blob> --build-snapshot
 * child_snapshot.js`); such a script may require only Node's built-in modules, so it loads tfjs's
 * files itself, resolving each `require` with Node's own resolver. In the child, before the
 * harness runs, every module it loaded is put in Node's module cache under the file Node resolves
 * it to, with a real `Module` whose `require` is Node's: the harness, the library and the seal
 * (child_seal.ts) then see tfjs exactly as if Node had loaded it from disk, and a later `require`
 * of tfjs's code goes through Node's loader (sealed once the seal is on).
 * Imports only node builtins.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
const Module = require('node:module') as any;
const vm = require('node:vm') as typeof import('node:vm');

/** The package the harness loads first; the snapshot holds it and every file it requires. */
const ENTRY = '@tensorflow/tfjs';
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** Packages folder (the children's NODE_PATH): resolution falls back to it, as Node's does. */
const nodePath = (process.env.NODE_PATH ?? '').split(path.delimiter).filter((p) => p !== '');

/** Files loaded while building, in load order: real path -> its module object. */
const loaded = new Map<string, { exports: unknown }>();
/** In the child: a file's `require` (Node's, of its registered Module). Unset while building. */
let runtimeRequire: ((file: string) => (spec: string) => unknown) | null = null;

function parentAt(file: string): unknown {
  return { id: file, filename: file, paths: [...Module._nodeModulePaths(path.dirname(file)), ...nodePath] };
}

function load(file: string): unknown {
  const hit = loaded.get(file);
  if (hit) return hit.exports;
  const mod = { exports: {} as unknown };
  loaded.set(file, mod);
  if (file.endsWith('.json')) {
    mod.exports = JSON.parse(fs.readFileSync(file, 'utf8'));
    return mod.exports;
  }
  const requireHere = (spec: string): unknown => {
    if (runtimeRequire !== null) return runtimeRequire(file)(spec);
    if (Module.isBuiltin(spec)) return require(spec);
    return load(Module._resolveFilename(spec, parentAt(file), false));
  };
  const fn = vm.compileFunction(fs.readFileSync(file, 'utf8'), PARAMS, { filename: file }) as (...a: unknown[]) => void;
  fn.call(mod.exports, mod.exports, requireHere, mod, file, path.dirname(file));
  return mod.exports;
}

/**
 * In the child: registers the snapshot's modules with Node's loader, when Node resolves tfjs to
 * the file the snapshot was made from (else tfjs loads from disk as usual: slower, the same
 * results), then runs the harness as the main module.
 */
function startChild(): void {
  const harness = process.argv[1];
  if (typeof harness !== 'string' || harness === '') {
    process.stderr.write('child_snapshot: no harness given (node --snapshot-blob <blob> <harness.js>)\n');
    process.exit(70);
  }
  const main = path.resolve(harness);
  const entry = [...loaded.keys()][0];
  let resolved: string | null = null;
  try {
    resolved = Module._resolveFilename(ENTRY, parentAt(main), false);
  } catch {
    /* tfjs is not reachable from the harness: it fails there with Node's own message */
  }
  if (resolved === entry) {
    const modules = new Map<string, any>();
    for (const [file, mod] of loaded) {
      const m = new Module(file, null);
      m.filename = file;
      m.paths = Module._nodeModulePaths(path.dirname(file));
      m.exports = mod.exports;
      m.loaded = true;
      Module._cache[file] = m;
      modules.set(file, m);
    }
    runtimeRequire = (file) => (spec) => modules.get(file).require(spec);
  }
  Module._load(main, null, true);
}

if (v8.startupSnapshot?.isBuildingSnapshot()) {
  const tf = load(Module._resolveFilename(ENTRY, parentAt(path.join(process.cwd(), 'entry.js')), false)) as any;
  tf.enableProdMode();
  tf.setBackend('cpu');
  // A few operations: the kernels they use are set up in the snapshot too.
  tf.tidy(() => tf.matMul(tf.randomNormal([4, 3]), tf.ones([3, 2])).exp().log().sum().dataSync());
  v8.startupSnapshot.setDeserializeMainFunction(startChild);
}
