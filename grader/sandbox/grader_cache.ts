// This user's cache of what the grader makes once per environment: the canary's verdict and the
// staged packages (prepare_sandbox.ts), the compiled library (sandbox_files.ts), the frozen
// public tests (engine/frozen_cache.ts) and the type-check snapshot (engine/typecheck_snapshot.ts).
// It is `<tmp>/clab-grader-<uid>/`, a folder only this user can write. Each entry is named by a
// key of everything it was made from, so a change leads to a new name (a miss), never to a stale
// hit; entries unused for a week are removed.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';
import { ensurePrivateDir } from './ensure_private_dir';

/** Entries not used for this long are removed (when another entry of their kind is written). */
const UNUSED_MS = 7 * 24 * 3600 * 1000;

/** The grader's cache folder under the temp folder `tmpRoot`. */
export function cacheDirIn(tmpRoot: string): string {
  return path.join(tmpRoot, `clab-grader-${process.getuid?.() ?? 'user'}`);
}

/**
 * This user's cache folder under the OS temp folder, made private if missing; null when it is
 * not this user's alone (then nothing is cached: what a cache would hold is made every time).
 */
export function graderCacheDir(): string | null {
  try {
    const dir = cacheDirIn(fs.realpathSync(os.tmpdir()));
    ensurePrivateDir(dir);
    return dir;
  } catch {
    return null;
  }
}

/** Marks a cache entry (file or folder) as used now, for pruning. */
export function touchCacheEntry(entry: string): void {
  try {
    const now = new Date();
    fs.utimesSync(entry, now, now);
  } catch {
    /* removed meanwhile: the next run makes it again */
  }
}

/** Removes this user's cache entries named `<kind>-*` that were not used for a week, except `keep`. */
export function pruneCache(kind: string, keep: string): void {
  const dir = path.dirname(keep);
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(`${kind}-`) || path.join(dir, name) === keep) continue;
    try {
      const entry = path.join(dir, name);
      if (Date.now() - fs.statSync(entry).mtimeMs > UNUSED_MS) fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      /* in use by another grader, or gone */
    }
  }
}

/**
 * The cached JSON value `<kind>-<key>.json`, or null (a miss, or no private cache folder).
 * @param kind what it is (`sandbox-lib`, `public-tests`, ...)
 * @param key a hash of everything the value was made from
 */
export function readCache<T>(kind: string, key: string): T | null {
  const dir = graderCacheDir();
  if (dir === null) return null;
  const file = path.join(dir, `${kind}-${key}.json`);
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
    touchCacheEntry(file);
    return value;
  } catch {
    return null;
  }
}

/** Stores `value` as `<kind>-<key>.json` (atomically; best effort: a full disk only costs the next run). */
export function writeCache(kind: string, key: string, value: unknown): void {
  const dir = graderCacheDir();
  if (dir === null) return;
  const file = path.join(dir, `${kind}-${key}.json`);
  try {
    writeAtomic(file, JSON.stringify(value));
    pruneCache(kind, file);
  } catch {
    /* nothing cached */
  }
}

/** SHA-256 of the project's package-lock.json (the installed packages), '' without one: part of every per-environment key. */
export function lockfileHash(projectRoot: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(path.join(projectRoot, 'package-lock.json'))).digest('hex');
  } catch {
    return '';
  }
}
