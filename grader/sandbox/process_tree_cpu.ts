import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The processes `pid`'s threads started and have not reaped (Linux /proc; none elsewhere or once it is gone). */
export function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* gone, or not Linux */
  }
  return out;
}

/** What {@link processTreeTimes} read from /proc. */
export interface ProcessTreeTimes {
  /** Processes read (0 when the tree is gone, or there is no /proc). */
  processes: number;
  /** CPU seconds (user + system) of every process and thread, and of children they reaped. */
  cpuSeconds: number;
  /**
   * Seconds the processes' main threads were runnable but waiting for a CPU that others held
   * (/proc/PID/schedstat's run_delay; 0 where the kernel does not report it).
   */
  queueSeconds: number;
}

/**
 * CPU time and CPU-queue time of a process and all its descendants (Linux /proc; zeros elsewhere
 * or once it is gone). The sandbox reads them for its fair clock (child_clock.ts) and just before
 * it kills a child's process group: killed together, the wrapper never reaps the child, so its
 * CPU would otherwise be missing from every rusage-based count.
 */
export function processTreeTimes(pid: number): ProcessTreeTimes {
  let ticks = 0;
  let queueNs = 0;
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p)) return;
    try {
      // Fields after "(comm) ": state is [0]; utime, stime, cutime, cstime are [11]..[14].
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ').pop()!.split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      return;
    }
    seen.add(p);
    try {
      // "<ns on a CPU> <ns waiting on a run queue> <time slices>", of the main thread.
      queueNs += Number(fs.readFileSync(`/proc/${p}/schedstat`, 'utf8').split(' ')[1]) || 0;
    } catch {
      /* no schedstat here: no queue time is known, so none is forgiven */
    }
    for (const c of children(p)) visit(c);
  };
  visit(pid);
  return { processes: seen.size, cpuSeconds: ticks / TICKS_PER_SECOND, queueSeconds: queueNs / 1e9 };
}

/** CPU seconds of a process and its descendants ({@link processTreeTimes}). */
export function processTreeCpu(pid: number): number {
  return processTreeTimes(pid).cpuSeconds;
}
