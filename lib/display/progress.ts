import { randomBytes } from 'node:crypto';
import { checkInterrupt, displayBundle, inKernel } from './display_bundle';

/** Where the terminal progress line goes (default `process.stderr`). */
export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

/** Options for {@link progress}. */
export interface ProgressOptions {
  /** Steps expected in total (> 0). */
  total: number;
  /** Shown first, e.g. 'SimCLR'. Default ''. */
  label?: string;
  /** What a step is called. Default 'step'. */
  unit?: string;
  /** Items per step (the batch size), to show items/s. Default none. */
  itemsPerStep?: number;
  /** What the items are called. Default 'images'. */
  itemName?: string;
  /** Least time between two drawn updates; the final state is always drawn. Default 250 (4/s). */
  minIntervalMs?: number;
  /** Draw nothing (e.g. in tests); `text` still follows the updates. Default false. */
  silent?: boolean;
  /** Terminal target outside a kernel. Default process.stderr. */
  stream?: ProgressStream;
  /** Clock in ms (tests; a custom clock also turns off the trailing-update timer). Default Date.now. */
  now?: () => number;
}

/** What the caller reports: the step reached (1-based count done) and any metrics to show. */
export interface ProgressState {
  step: number;
  epoch?: number;
  loss?: number;
  [metric: string]: number | string | undefined;
}

/** A live progress display; see {@link progress}. */
export interface Progress {
  /**
   * Records the latest state; drawn at most every `minIntervalMs`, later calls coalesced. In a
   * notebook it first checks for an interrupt: a loop that reports its progress stops here
   * (throwing the kernel's `Interrupted`) when the user interrupts the cell.
   */
  update(state: ProgressState): void;
  /** Draws the final state (merged with `state` if given) and stops. Idempotent. */
  done(state?: Partial<ProgressState>): void;
  /** The current one-line text. */
  readonly text: string;
  /** How many times the display was drawn (initial + updates). */
  readonly draws: number;
}

/**
 * A live progress display: in a notebook ONE output updated in place (Jupyter display_id),
 * in a terminal one line on stderr rewritten with \r (TTY) or a line per 10% (logs).
 * Draws at most 4 times a second by default and always draws the final state.
 * @example
 * const p = clab.display.progress({total: 500, label: 'SimCLR', itemsPerStep: 256});
 * for (let s = 1; s <= 500; s++) { ...; p.update({step: s, epoch: e, loss: l}); }
 * p.done();
 * WARNING: in a synchronous loop a coalesced update is drawn only when the loop yields
 * (an `await`) or at the next update after the interval; call done() at the end (in `finally`:
 * `update` throws when the user interrupts the cell).
 */
export function progress(options: ProgressOptions): Progress {
  const { total } = options;
  if (!(Number.isFinite(total) && total > 0)) throw new Error(`progress: total must be a number > 0, got ${total}`);
  const minInterval = options.minIntervalMs ?? 250;
  if (!(minInterval >= 0)) throw new Error(`progress: minIntervalMs must be >= 0, got ${minInterval}`);
  if (options.itemsPerStep !== undefined && !(options.itemsPerStep > 0)) {
    throw new Error(`progress: itemsPerStep must be > 0, got ${options.itemsPerStep}`);
  }
  const now = options.now ?? Date.now;
  const stream = options.stream ?? process.stderr;
  const kernel = options.silent !== true && inKernel();
  const displayId = randomBytes(8).toString('hex');
  const start = now();
  let state: ProgressState = { step: 0 };
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let draws = 0;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let lineLength = 0;

  const draw = (final: boolean) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastDraw = now();
    const text = format(state, options, start, lastDraw, final);
    if (options.silent === true) return;
    if (kernel) {
      displayBundle({ 'text/html': html(state, options, text), 'text/plain': text }, { displayId, update: draws > 0 });
      draws++;
    } else if (stream.isTTY === true) {
      stream.write(`\r${text.padEnd(lineLength)}${final ? '\n' : ''}`);
      lineLength = text.length;
      draws++;
    } else {
      const tenth = Math.floor((10 * state.step) / total);
      if (final || tenth > lastTenth) {
        stream.write(`${text}\n`);
        lastTenth = tenth;
        draws++;
      }
    }
  };

  draw(false);
  return {
    update(next: ProgressState) {
      checkInterrupt();
      if (finished) return;
      if (next === null || typeof next !== 'object' || !Number.isFinite(next.step)) {
        throw new Error(`progress.update: state.step must be a finite number, got ${JSON.stringify(next)}`);
      }
      state = { ...state, ...next };
      const wait = minInterval - (now() - lastDraw);
      if (wait <= 0) {
        draw(false);
      } else if (timer === undefined && options.now === undefined) {
        timer = setTimeout(() => draw(false), wait);
        timer.unref();
      }
    },
    done(last?: Partial<ProgressState>) {
      if (finished) return;
      finished = true;
      state = { ...state, ...(last ?? {}) } as ProgressState;
      draw(true);
    },
    get text() {
      return format(state, options, start, now(), finished);
    },
    get draws() {
      return draws;
    },
  };
}

function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(5);
}

function format(state: ProgressState, o: ProgressOptions, start: number, t: number, final: boolean): string {
  const { step } = state;
  const frac = Math.min(1, Math.max(0, step / o.total));
  const width = 20;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const parts = [
    `${o.label ? `${o.label} ` : ''}${String(Math.floor(frac * 100)).padStart(3)}% ${bar} ${step}/${o.total} ${o.unit ?? 'step'}s`,
  ];
  for (const [k, v] of Object.entries(state)) {
    if (k === 'step' || v === undefined) continue;
    parts.push(`${k} ${typeof v === 'number' ? num(v) : v}`);
  }
  const elapsed = t - start;
  const rate = elapsed > 0 ? (step * 1000) / elapsed : NaN; // steps/s
  if (o.itemsPerStep !== undefined && Number.isFinite(rate) && step > 0) {
    parts.push(`${Math.round(rate * o.itemsPerStep)} ${o.itemName ?? 'images'}/s`);
  }
  if (final) parts.push(`done in ${clock(elapsed)}`);
  else if (step > 0 && Number.isFinite(rate)) parts.push(`${clock(elapsed)} elapsed, ETA ${clock(((o.total - step) / rate) * 1000)}`);
  return parts.join(' | ');
}

function html(state: ProgressState, o: ProgressOptions, text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rest = text.split(' | ').slice(1).join(' · ');
  const pct = Math.floor(Math.min(1, Math.max(0, state.step / o.total)) * 100);
  return (
    `<div style="font-family:monospace">${esc(o.label ?? '')} ` +
    `<progress value="${Math.min(state.step, o.total)}" max="${o.total}" style="width:12em;vertical-align:middle"></progress> ` +
    `${pct}% ${state.step}/${o.total} ${esc(o.unit ?? 'step')}s${rest ? ` · ${esc(rest)}` : ''}</div>`
  );
}
