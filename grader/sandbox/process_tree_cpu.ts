import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function children(pid: number): number[] {
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

/**
 * CPU seconds (user + system) used so far by a process and all its descendants, including
 * children they have already reaped (Linux /proc; 0 elsewhere or once it is gone). The sandbox
 * reads it just before it kills a child's process group: killed together, the wrapper never
 * reaps the child, so its CPU would otherwise be missing from every rusage-based count.
 */
export function processTreeCpu(pid: number): number {
  let ticks = 0;
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      // Fields after "(comm) ": state is [0]; utime, stime, cutime, cstime are [11]..[14].
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ').pop()!.split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      return;
    }
    for (const c of children(p)) visit(c);
  };
  visit(pid);
  return ticks / TICKS_PER_SECOND;
}
