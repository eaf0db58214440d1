// What a value looks like in the notebook: the mime bundle of an `execute_result` (a cell's last
// expression) or of a `display_data` the cell asked for.
//
// In order: an object's own bundle through Deno's convention, `[Symbol.for('Jupyter.display')]()`
// returning (or resolving to) mime type -> data; a tfjs Tensor (tensor_bundle.ts); a vega-lite
// spec (drawn by JupyterLab); anything else as text, the way Node's REPL prints it.
import { inspect } from 'node:util';
import { isTensorLike, tensorBundle } from './tensor_bundle';

/** The method an object offers its mime bundle by (Deno's Jupyter kernel uses the same). */
export const DISPLAY = Symbol.for('Jupyter.display');

/** mime type -> data (text, base64 for binary types, or JSON). */
export type MimeBundle = Record<string, unknown>;

/** The mime type JupyterLab 4 draws vega-lite 5 specs with. */
const VEGA_LITE = 'application/vnd.vegalite.v5+json';

/** Text for any value, as Node's REPL shows it (no colours: nbconvert and logs keep the text). */
export function plainText(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

function isVegaLiteSpec(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const schema = (value as { $schema?: unknown }).$schema;
  return typeof schema === 'string' && /vega-lite\/v\d/.test(schema);
}

/** Binary payloads (Uint8Array, Buffer) become base64, as Jupyter carries images. */
function encode(bundle: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, data] of Object.entries(bundle)) out[mime] = data instanceof Uint8Array ? Buffer.from(data).toString('base64') : data;
  return out;
}

function checked(own: unknown, value: unknown): MimeBundle {
  if (typeof own !== 'object' || own === null || Array.isArray(own) || Object.keys(own).length === 0) {
    throw new TypeError(`[Symbol.for('Jupyter.display')]() must return a mime bundle (an object of mime type -> data), got ${plainText(own)}`);
  }
  const bundle = encode(own as MimeBundle);
  if (bundle['text/plain'] === undefined) bundle['text/plain'] = plainText(value);
  return bundle;
}

/**
 * The mime bundle for `value`: at once, unless the object's display method returns a promise
 * (a display in a synchronous loop must go out before the loop's next step, in order).
 * @throws when the object's own display method throws or returns something that is not a bundle
 * @example bundleOf(6 * 7) // {'text/plain': '42'}
 */
export function bundleOf(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[DISPLAY] === 'function') {
    const own = (value as Record<symbol, () => unknown>)[DISPLAY]();
    return own instanceof Promise ? own.then((b) => checked(b, value)) : checked(own, value);
  }
  if (isTensorLike(value)) return tensorBundle(value);
  if (isVegaLiteSpec(value)) {
    const title = typeof value.title === 'string' ? ` '${value.title}'` : '';
    return { [VEGA_LITE]: value, 'text/plain': `<vega-lite chart${title}>` };
  }
  return { 'text/plain': plainText(value) };
}

/**
 * The bundle a display call sends: `value` itself when `raw` (it is a mime bundle already),
 * else {@link bundleOf}.
 */
export function displayBundleOf(value: unknown, raw: boolean): MimeBundle | Promise<MimeBundle> {
  if (!raw) return bundleOf(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new TypeError(`display(bundle, {raw: true}): the bundle must be an object of mime type -> data, got ${plainText(value)}`);
  }
  return encode(value as MimeBundle);
}
