// One chart of a page: the picture rendered in Node (shown at once, and kept if the live chart
// cannot be drawn) plus the vega spec that the page's script draws live (tooltips, crisp text).
import { escapeHtml, svgDataUri } from './html_escape';

/** A vega or vega-lite mime type and the major version it names. */
export const VEGA_MIME = /^application\/vnd\.(vega|vegalite)\.v(\d+)\+json$/;

/** Options for {@link chartFigure}. */
export interface ChartFigureOptions {
  /** Alternative text (the output's text/plain). */
  alt: string;
  /** The static SVG the output already carries (lib's display.show puts one beside the spec). */
  svg?: string;
}

/** What {@link chartFigure} returns: the figure's HTML and how the static picture was made. */
export interface ChartFigure {
  html: string;
  /** 'output': the SVG stored in the notebook; 'export': rendered now from the spec. */
  staticFrom: 'output' | 'export';
}

/** JSON that can sit inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Builds a chart figure from a vega-lite (or vega) spec. The spec is compiled to vega here with
 * the project's vega-lite, so the page needs only vega. The static SVG goes in as an <img> data
 * URI: inline <svg> elements of several charts would share ids such as `clip1` and clip each
 * other's marks.
 * @param mime the output's mime type, e.g. 'application/vnd.vegalite.v5+json'
 * @param spec the spec from the output
 * @throws naming the mime type when vega-lite cannot compile the spec
 */
export async function chartFigure(mime: string, spec: unknown, options: ChartFigureOptions): Promise<ChartFigure> {
  const kind = VEGA_MIME.exec(mime);
  if (kind === null) throw new Error(`chartFigure: ${mime} is not a vega or vega-lite mime type`);
  if (spec === null || typeof spec !== 'object') throw new Error(`chartFigure: the ${mime} payload must be a spec object, got ${typeof spec}`);
  // Required lazily: they take a moment to load, and pages without charts do not need them.
  const vl = require('vega-lite') as typeof import('vega-lite');
  const vega = require('vega') as typeof import('vega');
  let vgSpec: object;
  try {
    vgSpec = kind[1] === 'vegalite' ? vl.compile(spec as import('vega-lite').TopLevelSpec).spec : spec;
  } catch (e) {
    throw new Error(`chartFigure: vega-lite could not compile the ${mime} spec: ${(e as Error).message}`);
  }
  let svg = options.svg;
  let staticFrom: ChartFigure['staticFrom'] = 'output';
  if (svg === undefined) {
    const view = new vega.View(vega.parse(vgSpec as import('vega').Spec), { renderer: 'none' });
    try {
      svg = await view.toSVG();
    } finally {
      view.finalize();
    }
    staticFrom = 'export';
  }
  const html =
    `<figure class="chart">` +
    `<img class="chart-static" alt="${escapeHtml(options.alt)}" src="${svgDataUri(svg)}">` +
    `<script type="application/json" class="chart-spec">${scriptJson(vgSpec)}</script>` +
    `</figure>`;
  return { html, staticFrom };
}
