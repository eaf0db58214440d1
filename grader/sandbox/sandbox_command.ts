import { spawnSync } from 'node:child_process';

/** How the child is confined on this machine; reported with every grade. */
export interface SandboxIsolation {
  /** Node's permission model (fs reads limited, no child processes, workers, addons, writes). */
  permissionModel: true;
  /** 'isolated (unshare --net)' or why not. */
  network: string;
  /** 'nobody (setpriv)' or why the child runs as the grader's user. */
  user: string;
  /** Address-space cap (prlimit) and V8 heap cap. */
  memory: string;
  /** Whether the network is really cut off. */
  networkIsolated: boolean;
}

/** Command prefix (wrappers) and what they achieve. */
export interface SandboxCommand {
  /** Argv before `node`: e.g. ['prlimit', '--as=...', '--', 'unshare', '--net', '--', ...]. */
  prefix: string[];
  isolation: SandboxIsolation;
  /** Whether the sandbox folder must be world-readable (the child runs as nobody). */
  dropsUser: boolean;
}

let cached: Map<string, SandboxCommand> = new Map();

function works(argv: string[]): boolean {
  try {
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 5000 });
    return r.status === 0;
  } catch {
    return false;
  }
}

/**
 * Detects (once per memory limit) which OS wrappers confine the child here: `prlimit --as` for
 * memory outside V8's heap (typed arrays), `unshare --net` for an empty network namespace (needs
 * root or user namespaces), `setpriv` to drop to `nobody` when root. Each missing wrapper is
 * reported, never silently skipped. `CLAB_SANDBOX_NO_NETNS=1` disables the namespace (testing).
 * @param keepUser when set, do not switch to `nobody` and report this reason instead (the
 *   sandbox set-up found that `nobody` cannot read what the child needs, see prepareSandbox)
 */
export function sandboxCommand(memoryMb: number, keepUser?: string): SandboxCommand {
  const key = `${memoryMb}\0${keepUser ?? ''}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const prefix: string[] = [];
  const addressSpace = Math.max(1536, memoryMb * 4) * 1024 * 1024;
  let memory = `V8 heap <= ${memoryMb} MB`;
  if (process.platform === 'linux' && works(['prlimit', `--as=${addressSpace}`, '--cpu=600', '--', 'true'])) {
    // --cpu is a backstop for orphans (the per-test timer kills much earlier).
    prefix.push('prlimit', `--as=${addressSpace}`, '--cpu=600', '--');
    memory += `, address space <= ${Math.round(addressSpace / 2 ** 20)} MB (prlimit), CPU time <= 600 s`;
  } else {
    memory += '; address space NOT capped (prlimit unavailable), typed arrays can exceed the heap cap';
  }
  let network: string;
  let networkIsolated = false;
  if (process.env.CLAB_SANDBOX_NO_NETNS === '1') {
    network = 'NOT isolated: CLAB_SANDBOX_NO_NETNS=1';
  } else if (process.platform !== 'linux') {
    network = `NOT isolated: no network namespaces on ${process.platform}`;
  } else if (works(['unshare', '--net', '--pid', '--fork', '--', 'true'])) {
    // A PID namespace too: a child cannot signal other submissions' children (same uid nobody).
    prefix.push('unshare', '--net', '--pid', '--fork', '--');
    network = 'isolated (unshare --net: empty network namespace; own PID namespace)';
    networkIsolated = true;
  } else if (works(['unshare', '--net', '--', 'true'])) {
    prefix.push('unshare', '--net', '--');
    network = 'isolated (unshare --net: empty network namespace; NO PID namespace)';
    networkIsolated = true;
  } else {
    network = 'NOT isolated: unshare --net failed (needs root or user namespaces)';
  }
  let user = 'same user as the grader';
  let dropsUser = false;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && keepUser !== undefined) {
    user = `root: ${keepUser}`;
  } else if (isRoot && works(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', 'true'])) {
    prefix.push('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--');
    user = 'nobody (setpriv)';
    dropsUser = true;
  } else if (isRoot) {
    user = 'root: setpriv unavailable, the child keeps root (the permission model still limits it)';
  }
  const cmd: SandboxCommand = {
    prefix,
    isolation: { permissionModel: true, network, user, memory, networkIsolated },
    dropsUser,
  };
  cached.set(key, cmd);
  return cmd;
}

/** Forgets detected wrappers (tests). */
export function resetSandboxCommandCache(): void {
  cached = new Map();
}
