/**
 * Plain data exchanged with the sandboxed child: numbers, booleans, strings, arrays, plain
 * objects and tensors written as {@link PlainTensor}. Nothing else crosses the process boundary,
 * so a Proxy, a getter or a lying `valueOf` in student code can only ever become plain numbers.
 */
export type PlainValue = number | boolean | string | null | PlainTensor | PlainValue[] | { [key: string]: PlainValue };

/** A tensor as plain data: row-major values. Non-finite numbers travel as strings ('NaN', 'Infinity'). */
export interface PlainTensor {
  __tensor: true;
  dtype: string;
  /** e.g. [batch, dim] */
  shape: number[];
  data: Array<number | string>;
}

/** Whether `v` is a {@link PlainTensor}. */
export function isPlainTensor(v: unknown): v is PlainTensor {
  return typeof v === 'object' && v !== null && (v as { __tensor?: unknown }).__tensor === true;
}

/** A number decoded from the wire: JSON has no NaN/Infinity, so they are sent as strings. */
export function wireNumber(x: number | string): number {
  return typeof x === 'number' ? x : Number(x);
}

/** Makes a plain float32 tensor from a shape and values (rounded to float32, as tfjs would). */
export function plainTensor(shape: number[], data: number[]): PlainTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(`plainTensor: shape [${shape.join(',')}] needs ${size} values, got ${data.length}`);
  }
  return { __tensor: true, dtype: 'float32', shape: [...shape], data: data.map((x) => Math.fround(x)) };
}

/** Short human description of a plain value, for feedback: `tensor [4,8]`, `number 0.25`. */
export function describePlain(v: unknown, maxItems = 6, depth = 0): string {
  if (depth > 4) return '...';
  if (isPlainTensor(v)) {
    if (!Array.isArray(v.data) || !Array.isArray(v.shape)) return 'a malformed tensor';
    const vals = v.data.slice(0, maxItems).map((x) => formatNumber(wireNumber(x)));
    const more = v.data.length > maxItems ? `, ... (${v.data.length} values)` : '';
    return `tensor [${v.shape.join(',')}] ${v.shape.length === 0 ? vals[0] : `[${vals.join(', ')}${more}]`}`;
  }
  if (typeof v === 'number') return `number ${formatNumber(v)}`;
  if (Array.isArray(v)) return `array(${v.length}) [${v.slice(0, 3).map((x) => describePlain(x, 3, depth + 1)).join('; ')}${v.length > 3 ? '; ...' : ''}]`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    return `{${keys.slice(0, 8).map((k) => `${k.slice(0, 40)}: ${describePlain((v as Record<string, unknown>)[k], 3, depth + 1)}`).join(', ')}}`;
  }
  return `${v === null ? 'null' : typeof v} ${String(JSON.stringify(v)).slice(0, 200)}`;
}

/** A number with 6 significant digits, NaN/Infinity spelt out. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(6)).toString();
}
