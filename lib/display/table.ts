import { displayBundle, MimeBundle } from './display_bundle';

/** A table row: column name -> cell value, or the cells in column order. */
export type TableRow = Record<string, unknown> | unknown[];

/** Options for {@link table} and {@link tableBundle}. */
export interface TableOptions {
  /** Column names and order. Default: keys of the first object row, or '0', '1', ... for array rows. */
  columns?: string[];
  /** Decimals for non-integer numbers (|v| < 1e-3 prints in exponent form). Default 4. */
  digits?: number;
  /** A caption above the table. Default none. */
  title?: string;
}

/**
 * Shows a small table as ONE output with text/html (notebooks), text/markdown and text/plain
 * (terminals; printed outside a kernel).
 * @param rows objects keyed by column, or arrays in column order
 * @example clab.display.table([{tau: 0.1, loss: 2.3}, {tau: 1, loss: 2.7}], {title: 'N-pair loss'})
 */
export function table(rows: TableRow[], options: TableOptions = {}): void {
  displayBundle(tableBundle(rows, options));
}

/**
 * The mime bundle {@link table} displays: `text/html`, `text/markdown` and `text/plain`.
 * @example tableBundle([[1, 2]], {columns: ['a', 'b']})['text/plain']
 */
export function tableBundle(rows: TableRow[], options: TableOptions = {}): MimeBundle {
  if (!Array.isArray(rows)) throw new Error(`table: rows must be an array of objects or arrays, got ${String(rows)}`);
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`table: digits must be an integer in [0, 20], got ${digits}`);
  }
  const first = rows[0];
  const columns =
    options.columns ??
    (first === undefined ? [] : Array.isArray(first) ? first.map((_, i) => String(i)) : Object.keys(first as object));
  const cells = rows.map((row, i) => {
    if (row === null || typeof row !== 'object') throw new Error(`table: rows[${i}] must be an object or an array, got ${String(row)}`);
    return columns.map((c, j) => format(Array.isArray(row) ? row[j] : (row as Record<string, unknown>)[c], digits));
  });
  // Right-align columns of numbers, including numbers the caller pre-formatted as strings.
  const isNumber = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
  const numeric = columns.map((c, j) => rows.every((r) => isNumber(Array.isArray(r) ? r[j] : (r as Record<string, unknown>)[c])));
  return {
    'text/html': html(columns, cells, numeric, options.title),
    'text/markdown': markdown(columns, cells, numeric, options.title),
    'text/plain': plain(columns, cells, numeric, options.title),
  };
}

function format(v: unknown, digits: number): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    return Math.abs(v) < 1e-3 ? v.toExponential(Math.max(0, digits - 1)) : v.toFixed(digits);
  }
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function html(columns: string[], cells: string[][], numeric: boolean[], title?: string): string {
  const align = (j: number) => (numeric[j] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join('');
  const body = cells.map((r) => `<tr>${r.map((v, j) => `<td${align(j)}>${escapeHtml(v)}</td>`).join('')}</tr>`).join('\n');
  const caption = title !== undefined ? `<caption>${escapeHtml(title)}</caption>` : '';
  return `<table>${caption}\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function markdown(columns: string[], cells: string[][], numeric: boolean[], title?: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${columns.map(esc).join(' | ')} |`,
    `|${numeric.map((n) => (n ? ' ---: ' : ' :--- ')).join('|')}|`,
    ...cells.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return (title !== undefined ? `**${title}**\n\n` : '') + lines.join('\n');
}

function plain(columns: string[], cells: string[][], numeric: boolean[], title?: string): string {
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines = [
    columns.map(pad).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((r) => r.map(pad).join('  ')),
  ];
  return (title !== undefined ? `${title}\n` : '') + lines.map((l) => l.trimEnd()).join('\n');
}
