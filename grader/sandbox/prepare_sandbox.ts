import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureChildSnapshot, ensureCodeCache } from './code_cache_dir';
import { cacheDirIn } from './grader_cache';
import { AccessNeed, probeAccess } from './probe_access';
import { SandboxCommand, sandboxCommand } from './sandbox_command';
import { ensureSharedSandboxDir, SandboxBase, sandboxBase } from './sandbox_files';
import { stagePackages } from './stage_packages';

/** Everything needed to start sandboxed children here, adapted to what the sandbox user can read. */
export interface SandboxSetup {
  command: SandboxCommand;
  /** Harness and compiled library, which every sandbox folder reads. */
  base: SandboxBase;
  /** The base written once for this environment, which sandbox folders link to (ensureSharedSandboxDir), or null (each gets a copy). */
  sharedDir: string | null;
  /** Where per-submission sandbox folders are made (the sandbox user can enter it). */
  tmpRoot: string;
  /** NODE_PATH of the child: the project's node_modules, or its staged copy. */
  nodeModules: string;
  /** Package folders the child may read (real paths; staged copies when staged). */
  readablePackages: string[];
  /** This user's private cache folder under tmpRoot (staged packages, canary verdicts, the code cache). */
  cacheDir: string;
  /** The children's code cache for the packages they load (code_cache.ts), or null (they compile them). */
  codeCache: string | null;
  /** The children's startup snapshot with tfjs loaded (child_snapshot.ts), or null (they load it, from the code cache). */
  childSnapshot: string | null;
  /** What was adapted and why, one line each (the verbs print them on stderr). */
  notes: string[];
}

const setups = new Map<string, SandboxSetup>();

/** Candidate temp roots, most preferred first: the OS temp folder, then the usual shared ones. */
function tempCandidates(): string[] {
  const out: string[] = [];
  for (const p of [os.tmpdir(), '/tmp', '/var/tmp', '/dev/shm']) {
    try {
      const real = fs.realpathSync(p);
      if (fs.statSync(real).isDirectory() && !out.includes(real)) out.push(real);
    } catch {
      /* missing here */
    }
  }
  return out;
}

/**
 * Works out how to run sandboxed children here so that they can read what they need, and adapts
 * when they cannot (once per project and memory limit). When the child switches to `nobody`,
 * one probe run as `nobody` checks that Node starts and that a temp folder, node_modules and
 * every package the library needs can be reached. What `nobody` cannot reach in place (the
 * checkout sits under a folder it cannot enter) is staged where it can
 * ({@link stagePackages}); when nothing works, the child keeps the grader's user and the
 * sandbox line says why. Never silent: each adaptation is a note and part of the report.
 * @param projectRoot the trusted project (lib/, node_modules/)
 * @param memoryMb the child's heap cap (it sets the wrappers' address-space limit)
 */
export function prepareSandbox(projectRoot: string, memoryMb: number): SandboxSetup {
  const key = `${projectRoot}\0${memoryMb}`;
  const hit = setups.get(key);
  if (hit) return hit;
  const base = sandboxBase(projectRoot);
  const nodeModules = fs.realpathSync(path.join(projectRoot, 'node_modules'));
  const packages = base.readablePackages;
  const temps = tempCandidates();
  if (temps.length === 0) throw new Error(`prepareSandbox: no temp folder exists here (${os.tmpdir()}, /tmp, /var/tmp, /dev/shm); set TMPDIR to a folder`);
  let command = sandboxCommand(memoryMb);
  const inPlace = (tmpRoot: string): SandboxSetup => ({ command, base, tmpRoot, nodeModules, readablePackages: packages, cacheDir: cacheDirIn(tmpRoot), sharedDir: null, codeCache: null, childSnapshot: null, notes: [] });
  let setup: SandboxSetup;
  if (!command.dropsUser) {
    setup = inPlace(temps[0]); // the child runs as this user: it reads what we read
  } else {
    const fix = 'make every folder above it enterable by others (chmod o+x), move the checkout (e.g. under /opt or /srv), or run the grader as a normal user';
    const needs: AccessNeed[] = [...temps.map((p) => ({ path: p, kind: 'dir' as const })), { path: nodeModules, kind: 'dir' }, ...packages.map((p) => ({ path: p, kind: 'dir' as const }))];
    const probe = probeAccess(command.prefix, needs);
    const deniedSet = new Set(probe.denied.map((d) => d.path));
    const tmpRoot = temps.find((t) => !deniedSet.has(t));
    const keepUser = (why: string): SandboxSetup => {
      command = sandboxCommand(memoryMb, `${why}; the child keeps the grader's user (the permission model still limits it). Fix: ${fix}`);
      const s = inPlace(temps[0]);
      s.notes.push(`WARNING sandbox: ${command.isolation.user}`);
      return s;
    };
    if (!probe.ran) {
      setup = keepUser(`the sandbox user nobody cannot start ${process.execPath} (${probe.startError})`);
    } else if (tmpRoot === undefined) {
      setup = keepUser(`the sandbox user nobody cannot enter any temp folder (${temps.join(', ')})`);
    } else {
      const denied = probe.denied.filter((d) => d.path === nodeModules || packages.includes(d.path));
      if (denied.length === 0) {
        setup = inPlace(tmpRoot);
        if (tmpRoot !== temps[0]) setup.notes.push(`sandbox: nobody cannot enter ${temps[0]}, so sandbox folders are made in ${tmpRoot}`);
      } else {
        const first = denied[0];
        const why = `the sandbox user nobody cannot read ${first.path} (${first.code})`;
        let staged;
        try {
          staged = stagePackages(packages, nodeModules, cacheDirIn(tmpRoot));
        } catch (e) {
          staged = null;
          setup = keepUser(`${why}, and staging the packages failed (${(e as Error).message})`);
        }
        if (staged) {
          const again = probeAccess(command.prefix, [{ path: staged.nodeModules, kind: 'dir' }, ...staged.packages.map((p) => ({ path: p, kind: 'dir' as const }))]);
          if (again.ran && again.denied.length === 0) {
            const where = path.dirname(staged.nodeModules);
            command = {
              ...command,
              isolation: { ...command.isolation, user: `${command.isolation.user}; packages staged in ${where} (nobody cannot read ${first.path} in place)` },
            };
            setup = { command, base, tmpRoot, nodeModules: staged.nodeModules, readablePackages: staged.packages, cacheDir: cacheDirIn(tmpRoot), sharedDir: null, codeCache: null, childSnapshot: null, notes: [] };
            setup.notes.push(
              `sandbox: ${why}, so the ${packages.length} packages the child reads are staged in ${where} (${staged.reused ? 'made by an earlier run, reused' : `made now: ${staged.linked} files hard-linked, ${staged.copied} copied`})`,
            );
          } else {
            setup = keepUser(`${why}, nor the staged copy in ${path.dirname(staged.nodeModules)} (${again.ran ? again.denied[0].path : again.startError})`);
          }
        }
      }
    }
  }
  const done = setup!;
  done.sharedDir = ensureSharedSandboxDir(base, done.cacheDir);
  done.codeCache = ensureCodeCache({ projectRoot, cacheDir: done.cacheDir, nodeModules: done.nodeModules, memoryMb, codeCacheJs: base.files.get('code_cache.js') ?? '' });
  done.childSnapshot = ensureChildSnapshot({
    projectRoot,
    cacheDir: done.cacheDir,
    nodeModules: done.nodeModules,
    readablePackages: done.readablePackages,
    command: done.command,
    memoryMb,
    childSnapshotJs: base.files.get('child_snapshot.js') ?? '',
  });
  setups.set(key, done);
  return done;
}

/** Forgets prepared set-ups (tests). */
export function resetPrepareSandbox(): void {
  setups.clear();
}
