/** A one-line progress bar on stderr (redrawn in place on a TTY, a line per 10% otherwise). */
export class ProgressBar {
  private done = 0;
  private failed = 0;
  private lastDecile = -1;
  private readonly t0 = Date.now();

  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Counts one finished submission (full score or not) and redraws. */
  tick(fullScore: boolean, label: string): void {
    this.done++;
    if (!fullScore) this.failed++;
    const frac = this.total === 0 ? 1 : this.done / this.total;
    const width = 30;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}  not full: ${this.failed}  ${elapsed.toFixed(0)}s elapsed, ETA ${eta.toFixed(0)}s  ${label.slice(0, 30)}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.padEnd(120)}${this.done === this.total ? '\n' : ''}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastDecile || this.done === this.total) {
        this.lastDecile = decile;
        this.stream.write(line + '\n');
      }
    }
  }
}
