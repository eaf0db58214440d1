import { processTreeTimes } from './process_tree_cpu';

/**
 * The fair clock of one sandboxed child, which every time limit of the sandbox is measured on:
 * the child's wall time minus the time its processes sat runnable, waiting for a CPU that others
 * held, and never less than the CPU time they used (all threads). So time the child spends
 * blocked (sleeping, `Atomics.wait`, I/O) counts in full, while a busy machine (other
 * submissions graded beside it, other users) does not make an honest child look slow, and a
 * child that keeps extra threads busy is charged their CPU. Charged time lies between the
 * child's CPU time and its wall time.
 *
 * Where /proc cannot be read (not Linux, or the child is gone) it counts wall time from the
 * last reading: it never stops running, so a limit always ends.
 */
export class ChildClock {
  private readonly start = performance.now();
  private readonly base: { cpu: number; queue: number } | null;
  private charged = 0;
  private readAt = 0;

  /** @param pid the child's process (its descendants are followed) */
  constructor(private readonly pid: number) {
    const t = processTreeTimes(pid);
    this.base = t.processes > 0 ? { cpu: t.cpuSeconds, queue: t.queueSeconds } : null;
  }

  /** Milliseconds charged since the clock was made (never decreases). */
  ms(): number {
    const now = performance.now() - this.start;
    const t = this.base === null ? null : processTreeTimes(this.pid);
    if (t === null || t.processes === 0 || this.base === null) {
      this.charged += now - this.readAt;
    } else {
      const fair = now - (t.queueSeconds - this.base.queue) * 1000;
      const cpu = (t.cpuSeconds - this.base.cpu) * 1000;
      this.charged = Math.max(this.charged, fair, cpu);
    }
    this.readAt = now;
    return this.charged;
  }
}
