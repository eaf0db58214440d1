/**
 * V8's code cache for the packages a sandboxed child loads. tfjs is about 6 MB of JavaScript that
 * every child compiles before it runs a test; with the bytecode a trusted process kept
 * (code_cache_dir.ts) a child loads it in about half the CPU time. Runs in the child (transpiled
 * beside harness.ts, imports only node builtins), as a script in the process that makes the
 * children's cache (`node <the child's V8 flags> code_cache.js produce <dir>`), and in the
 * compiled grader itself, for TypeScript and tfjs (mode `fill`: see grader/bin/clab-grade.js).
 *
 * An entry is named by the SHA-256 of the source it was made from, so a changed package file
 * finds no entry and compiles as usual; V8 itself refuses an entry made by another V8 or with
 * other flags (then the file compiles as usual too).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
const Module = require('node:module') as any;
const vm = require('node:vm') as typeof import('node:vm');

const IN_PACKAGES = `${path.sep}node_modules${path.sep}`;

/** What {@link useCodeCache} put in place. */
export interface CodeCacheUse {
  /** Puts Node's own compiler back (before the seal). */
  restore(): void;
  /** Writes an entry for each package file compiled meanwhile (producing only). @returns how many */
  write(): number;
  /** Package files compiled from an entry, and entries V8 refused. */
  used: number;
  refused: number;
}

/**
 * What {@link useCodeCache} does with `dir`: `use` reads entries (a sandboxed child: it cannot
 * write); `produce` ignores them and keeps every script for {@link CodeCacheUse.write}; `fill`
 * reads them and keeps the scripts that had none, or whose entry V8 refused (a trusted process
 * that owns `dir`).
 */
export type CodeCacheMode = 'use' | 'produce' | 'fill';

/**
 * Until `restore()`, package files (under node_modules) are compiled with their entry in `dir`
 * when it has one (see {@link CodeCacheMode}). Each module gets the `require` Node would give it
 * (resolve, cache, main, extensions).
 */
export function useCodeCache(dir: string, mode: CodeCacheMode): CodeCacheUse {
  const produce = mode === 'produce';
  const original = Module.prototype._compile;
  const made: Array<{ script: import('node:vm').Script; entry: string }> = [];
  const use: CodeCacheUse = {
    used: 0,
    refused: 0,
    restore: () => {
      Module.prototype._compile = original;
    },
    write: () => {
      for (const { script, entry } of made) {
        // Written aside and renamed: a reader never sees half an entry.
        const tmp = `${entry}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
        fs.renameSync(tmp, entry);
      }
      return made.length;
    },
  };
  Module.prototype._compile = function compileWithCodeCache(this: any, content: string, filename: string): unknown {
    if (!filename.includes(IN_PACKAGES)) return original.call(this, content, filename);
    const entry = path.join(dir, `${createHash('sha256').update(content).digest('hex')}.bin`);
    let cachedData: Buffer | undefined;
    if (!produce) {
      try {
        cachedData = fs.readFileSync(entry);
      } catch {
        /* no entry for this content: compile as usual */
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    const rejected = cachedData !== undefined && script.cachedDataRejected === true;
    if (cachedData !== undefined) {
      if (rejected) use.refused++;
      else use.used++;
    }
    if (produce || (mode === 'fill' && (cachedData === undefined || rejected))) made.push({ script, entry });
    const mod = this;
    const require = (id: string): unknown => mod.require(id);
    require.resolve = (request: string, options?: unknown) => Module._resolveFilename(request, mod, false, options);
    require.cache = Module._cache;
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    const fn = script.runInThisContext({ displayErrors: true }) as (...a: unknown[]) => unknown;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };
  return use;
}

/**
 * Makes the entries: loads tfjs as a child does (cpu backend, production mode), runs a few
 * operations (their functions are then compiled and kept too), writes one entry per package file.
 */
function produce(dir: string): void {
  const cache = useCodeCache(dir, 'produce');
  const tf = require('@tensorflow/tfjs');
  tf.enableProdMode();
  tf.setBackend('cpu');
  tf.tidy(() => tf.matMul(tf.randomNormal([4, 3]), tf.ones([3, 2])).exp().log().sum().dataSync());
  cache.restore();
  process.stdout.write(`${cache.write()} entries\n`);
}

if (require.main === module && process.argv[2] === 'produce') produce(process.argv[3]);
