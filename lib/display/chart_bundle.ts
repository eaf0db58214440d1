import { renderSvg } from '../plot/render_svg';
import type { VegaLiteSpec } from '../plot/vega_lite_spec';
import type { MimeBundle } from './display_bundle';

/** The mime type JupyterLab renders live with vega-lite 5. */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/** Options for {@link chartBundle} and `show`. */
export interface ChartBundleOptions {
  /** The text/plain part (terminals, screen readers). Default: a one-line description of the spec. */
  text?: string;
  /** Fail on vega-lite warnings (e.g. an encoding it drops) instead of printing them. Default false. */
  strict?: boolean;
}

/**
 * Builds the mime bundle `show` displays: the vega-lite spec (drawn live by JupyterLab), the
 * same chart rendered to SVG in Node (kept by nbconvert HTML and GitHub), and a text line.
 * @param spec a vega-lite v5 spec with inline data
 * @returns `{'application/vnd.vegalite.v5+json': spec, 'image/svg+xml': svg, 'text/plain': text}`
 * @example const bundle = await chartBundle(plot.lineChart([{name: 'a', x: [0, 1], y: [1, 0]}]));
 */
export async function chartBundle(spec: VegaLiteSpec, options: ChartBundleOptions = {}): Promise<MimeBundle> {
  const svg = await renderSvg(spec, { strict: options.strict });
  return {
    [VEGA_LITE_MIME]: spec,
    'image/svg+xml': svg,
    'text/plain': options.text ?? describeSpec(spec),
  };
}

/** One line saying what the chart is: title, marks and number of data rows. */
export function describeSpec(spec: VegaLiteSpec): string {
  const marks = new Set<string>();
  let rows = 0;
  const walk = (v: Record<string, unknown>) => {
    const mark = v.mark as string | { type?: string } | undefined;
    const type = typeof mark === 'string' ? mark : mark?.type;
    if (type !== undefined) marks.add(type);
    const values = (v.data as { values?: unknown } | undefined)?.values;
    if (Array.isArray(values)) rows += values.length;
    for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
      const sub = v[key];
      if (Array.isArray(sub)) sub.forEach((s) => walk(s as Record<string, unknown>));
    }
    if (v.spec !== undefined && typeof v.spec === 'object') walk(v.spec as Record<string, unknown>);
  };
  walk(spec);
  const title = spec.title;
  const t = typeof title === 'string' ? ` '${title}'` : typeof (title as { text?: unknown })?.text === 'string' ? ` '${(title as { text: string }).text}'` : '';
  return `<vega-lite chart${t}: ${[...marks].join(', ') || 'no'} marks, ${rows} data rows>`;
}
