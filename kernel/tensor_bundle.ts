// How a cell's value shows when it is a tfjs Tensor: its dtype and shape, and its values (a table
// for a small vector or matrix, nested rows for other small tensors, and for a large one its
// statistics and first values). Tensors are recognised by their shape, not by class: the kernel
// does not load tfjs, and a notebook may load its own copy.

/** What the kernel uses of a tfjs Tensor. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed?: boolean;
  dataSync(): ArrayLike<number | string | boolean> | Uint8Array[];
}

/** A tensor with at most this many values is shown whole. */
const SMALL = 200;
/** A matrix shown as a table has at most this many rows and columns. */
const TABLE_ROWS = 30;
const TABLE_COLS = 12;
/** Values a large tensor's statistics are computed over (all of them, up to this many). */
const STATS_LIMIT = 4_000_000;
/** First values shown for a large tensor. */
const PREVIEW = 8;

/** True for a tfjs Tensor (or anything shaped like one). */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<TensorLike> & { rank?: unknown; dataId?: unknown };
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.size === 'number' && typeof t.dataSync === 'function' && t.dataId !== undefined;
}

/** A value as the tables and text show it. */
export function formatValue(v: number | string | boolean): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-4 ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

function values(t: TensorLike): (number | string | boolean)[] {
  const data = t.dataSync() as ArrayLike<number | string | boolean | Uint8Array>;
  const out: (number | string | boolean)[] = [];
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out.push(v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : t.dtype === 'bool' ? v === 1 || v === true : (v as number | string));
  }
  return out;
}

/** Nested rows, numpy-like: [[1, 2], [3, 4]]. */
function nested(vals: string[], shape: number[], indent: number): string {
  if (shape.length === 0) return vals[0];
  if (shape.length === 1) return `[${vals.join(', ')}]`;
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push(nested(vals.slice(i * step, (i + 1) * step), rest, indent + 1));
  const sep = `,${'\n'.repeat(shape.length - 1)}${' '.repeat(indent + 1)}`;
  return `[${rows.join(sep)}]`;
}

function table(cells: string[][], header: string[]): string {
  const head = `<thead><tr><th></th>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = cells.map((row, i) => `<tr><th>${i}</th>${row.map((c) => `<td style="text-align:right">${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

interface Stats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

function stats(vals: ArrayLike<number>): Stats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / vals.length;
  let sq = 0;
  for (let i = 0; i < vals.length; i++) sq += (vals[i] - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / vals.length) };
}

/**
 * The mime bundle (text/plain, text/html) a tensor shows as a cell's value.
 * @example tensorBundle(tf.tensor2d([[1, 2], [3, 4]]))['text/plain'] // 'Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]'
 */
export function tensorBundle(t: TensorLike): Record<string, string> {
  const title = `Tensor ${t.dtype} ${shapeText(t.shape)}`;
  if (t.isDisposed === true) return { 'text/plain': `${title} (disposed)`, 'text/html': `<p><code>${escapeHtml(title)}</code> (disposed)</p>` };
  const caption = `<p><code>${escapeHtml(title)}</code></p>`;
  if (t.dtype === 'complex64') return { 'text/plain': title, 'text/html': caption };
  if (t.size <= SMALL) {
    const shown = values(t).map(formatValue);
    const body = nested(shown, t.shape, 0);
    const text = `${title}\n${body}`;
    const [rows, cols] = t.shape;
    let html = `${caption}<pre>${escapeHtml(body)}</pre>`;
    if (t.shape.length === 2 && rows <= TABLE_ROWS && cols <= TABLE_COLS) {
      const cells = Array.from({ length: rows }, (_, i) => shown.slice(i * cols, (i + 1) * cols));
      html = caption + table(cells, Array.from({ length: cols }, (_, j) => String(j)));
    } else if (t.shape.length === 1 && t.size <= TABLE_COLS) {
      html = caption + table([shown], shown.map((_, j) => String(j)));
    }
    return { 'text/plain': text, 'text/html': html };
  }
  // Large: statistics over the values (numbers only), and the first few.
  const lines = [title];
  const rows: [string, string][] = [];
  if (t.size <= STATS_LIMIT && (t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool')) {
    const data = t.dataSync() as ArrayLike<number>;
    const s = stats(data);
    const preview = Array.from({ length: Math.min(PREVIEW, data.length) }, (_, i) => formatValue(t.dtype === 'bool' ? data[i] === 1 : data[i]));
    rows.push(['min', formatValue(s.min)], ['max', formatValue(s.max)], ['mean', formatValue(s.mean)], ['std', formatValue(s.std)], ['first values', `[${preview.join(', ')}, ...]`]);
  } else {
    rows.push(['values', `${t.size} (too many to summarise here)`]);
  }
  for (const [k, v] of rows) lines.push(`  ${k}: ${v}`);
  const html = `${caption}<table><tbody>${rows.map(([k, v]) => `<tr><th style="text-align:left">${k}</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
  return { 'text/plain': lines.join('\n'), 'text/html': html };
}
