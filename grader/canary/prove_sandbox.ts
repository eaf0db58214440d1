import { createHash } from 'node:crypto';
import { lockfileHash } from '../sandbox/grader_cache';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';
import type { SandboxSetup } from '../sandbox/prepare_sandbox';
import { ensurePrivateDir } from '../sandbox/ensure_private_dir';
import { writeSandboxDir } from '../sandbox/sandbox_files';
import { buildCanary } from './build_canary';
import type { FrozenExercise } from '../engine/freeze_exercise';
import type { GradeOptions } from '../engine/grade_options';
import { runExercise } from '../engine/run_exercise';
import { GraderError } from '../exit_codes';

/** How the canary went. */
export interface CanaryVerdict {
  /** True when an earlier run proved this very environment (nothing ran now). */
  cached: boolean;
  /** Tests run (or recorded), all passed. */
  tests: number;
  /** Reference exercises included (empty in a student release: the canary module only). */
  references: string[];
  ms: number;
  /** The cache file holding the verdict ('' when the cache folder is not private: nothing kept). */
  record: string;
}

/** Everything that decides whether the sandbox works: a change to any of it runs the canary again. */
function environmentKey(setup: SandboxSetup, fingerprint: string, projectRoot: string, memoryMb: number): string {
  const h = createHash('sha256');
  const versions = setup.readablePackages.map((p) => {
    try {
      return `${p}@${(JSON.parse(fs.readFileSync(path.join(p, 'package.json'), 'utf8')) as { version?: string }).version}`;
    } catch {
      return `${p}@?`;
    }
  });
  const lock = lockfileHash(projectRoot);
  h.update(
    JSON.stringify({
      node: process.version,
      execPath: process.execPath,
      uid: process.getuid?.(),
      gid: process.getgid?.(),
      prefix: setup.command.prefix,
      user: setup.command.isolation.user,
      tmpRoot: setup.tmpRoot,
      nodeModules: setup.nodeModules,
      codeCache: setup.codeCache,
      childSnapshot: setup.childSnapshot,
      sharedDir: setup.sharedDir,
      versions,
      lock,
      memoryMb,
      fingerprint,
    }),
  );
  for (const [k, v] of setup.base.files) h.update(`${k}\0${v}\0`);
  return h.digest('hex').slice(0, 32);
}

/**
 * Proves, before anything is graded, that the sandbox as set up gives known-good code full
 * marks: the reference solutions' public tests (where solutions/ exists) and the grader's canary
 * module run in one sandboxed child, exactly as a submission would, and are scored against the
 * parent's references. The verdict is cached per environment (Node, uid, wrappers, paths,
 * package versions, lockfile, library, canary), so it runs once per environment. A failure is a
 * {@link GraderError} (exit 4) naming the failing test, the sandbox and the fix: never a zero
 * for a student.
 */
export async function proveSandbox(setup: SandboxSetup, exercises: FrozenExercise[], opts: GradeOptions): Promise<CanaryVerdict> {
  const t0 = Date.now();
  const canary = buildCanary(opts.projectRoot, exercises);
  const record = path.join(setup.cacheDir, `canary-${environmentKey(setup, canary.fingerprint, opts.projectRoot, opts.memoryMb)}.json`);
  // A verdict counts only from a folder no one else can write (else: run the canary every time).
  let trusted = true;
  try {
    ensurePrivateDir(setup.cacheDir);
  } catch {
    trusted = false;
  }
  if (trusted && fs.existsSync(record)) return { cached: true, tests: canary.exercise.tests.length, references: canary.references, ms: Date.now() - t0, record };
  // Generous limits: the canary proves access and set-up, not speed (a loaded machine is no fault).
  const limits: GradeOptions = { ...opts, testTimeoutMs: Math.max(opts.testTimeoutMs, 30000), startupMs: Math.max(opts.startupMs, 60000), exerciseBudgetMs: 600000 };
  const sandbox = writeSandboxDir(setup.base, canary.compile(), setup.command.dropsUser, setup.tmpRoot, setup.sharedDir);
  const notes: string[] = [];
  let results;
  try {
    const run = { sandbox, readablePackages: setup.readablePackages, command: setup.command, nodeModules: setup.nodeModules, poison: [], codeCache: setup.codeCache, childSnapshot: setup.childSnapshot };
    results = (await runExercise(canary.exercise, canary.entry, run, limits, notes)).tests;
  } finally {
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => r.status !== 'passed');
  if (failed.length > 0 || results.length === 0) {
    const first = failed[0];
    const what = first ? `${failed.length} of ${results.length} known-good tests failed; the first, "${first.name}":\n    ${first.feedback.split('\n').slice(0, 4).join('\n    ')}` : 'no canary test ran';
    const i = setup.command.isolation;
    throw new GraderError(
      [
        'the sandbox failed its canary, so nothing was graded (it would have given correct work a zero).',
        `  canary: ${what}`,
        ...notes.slice(0, 2).map((n) => `  note: ${n.split('\n')[0]}`),
        `  sandbox: user ${i.user}; network ${i.network}; ${i.memory}`,
        `  the child reads: ${setup.nodeModules} (NODE_PATH) and sandbox folders in ${setup.tmpRoot}`,
        '  fix: "Cannot find module" or EACCES: that user cannot read the packages; make the checkout readable by it or run the',
        '  grader as a normal user (grader/DESIGN.md, "Never a wrong zero"); a missing package: run npm ci; a timeout: the machine',
        '  is overloaded, grade with fewer --jobs.',
      ].join('\n'),
    );
  }
  if (!trusted) return { cached: false, tests: results.length, references: canary.references, ms: Date.now() - t0, record: '' };
  writeAtomic(record, JSON.stringify({ passed: results.length, references: canary.references, user: setup.command.isolation.user, at: new Date().toISOString() }) + '\n');
  return { cached: false, tests: results.length, references: canary.references, ms: Date.now() - t0, record };
}
