/**
 * A vega-lite (v5) specification as a plain JSON object.
 *
 * Deliberately loose (not vega-lite's own `TopLevelSpec`): notebook cells compile every cell
 * against the types they import, and vega-lite's full typings make each cell slow to compile.
 * {@link renderSvg} checks the spec when it compiles it.
 */
export type VegaLiteSpec = { [key: string]: unknown };

/** The `$schema` every builder in lib/plot writes. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
