import { spawnSync } from 'node:child_process';

/** One path the sandboxed child must reach: a folder to list and enter, or a file to read. */
export interface AccessNeed {
  path: string;
  kind: 'dir' | 'file';
}

/** What {@link probeAccess} found. */
export interface AccessProbe {
  /** False when Node itself could not start under the wrappers (e.g. `nobody` cannot run it). */
  ran: boolean;
  /** Why it could not start (the wrapper's or Node's first line of error), when `ran` is false. */
  startError: string;
  /** The needs that failed, with the error code (EACCES, ENOENT, ...). */
  denied: Array<AccessNeed & { code: string }>;
}

// Runs as the sandbox user, outside the permission model: plain OS access checks only.
const PROBE = `
const fs = require('node:fs');
const needs = JSON.parse(process.argv[1]);
const denied = [];
for (const n of needs) {
  try {
    fs.accessSync(n.path, n.kind === 'dir' ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
  } catch (e) {
    denied.push({ ...n, code: e.code || String(e) });
  }
}
process.stdout.write(JSON.stringify(denied));
`;

/**
 * Checks, as the sandboxed child will run (the same OS wrappers: `setpriv` to `nobody`, ...),
 * that Node starts and can reach each path. One short process; no permission model, so the
 * answer is about the OS's file permissions only (every parent folder must be enterable).
 * @param prefix the wrappers before `node` (SandboxCommand.prefix)
 * @param needs the folders and files the child must reach
 */
export function probeAccess(prefix: string[], needs: AccessNeed[]): AccessProbe {
  const argv = [...prefix, process.execPath, '-e', PROBE, JSON.stringify(needs)];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 30000, cwd: '/', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  if (r.status === 0) {
    try {
      return { ran: true, startError: '', denied: JSON.parse(r.stdout) as AccessProbe['denied'] };
    } catch {
      /* fall through: not the probe's output */
    }
  }
  const why = (r.error?.message ?? r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? `exit ${r.status ?? r.signal}`;
  return { ran: false, startError: why.slice(0, 300), denied: [] };
}
