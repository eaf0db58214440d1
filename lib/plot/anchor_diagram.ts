import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './vega_lite_spec';

/** One embedding in an {@link anchorDiagram}: a 2-D point (on the unit circle, usually) and its role. */
export interface AnchorPoint {
  /** Label drawn beside the point. */
  name: string;
  /** 'anchor', 'positive' or 'negative'. Exactly one anchor; lines go from it to every other point. */
  role: string;
  x: number;
  y: number;
}

/** Options for {@link anchorDiagram}. */
export interface AnchorDiagramOptions {
  /** Chart title. Default 'Pull the positive in, push the negatives away'. */
  title?: string;
  /** Width and height in pixels (the plot is square). Default 300. */
  size?: number;
}

const ROLE_COLOURS = { anchor: '#1f77b4', positive: '#2ca02c', negative: '#d62728' };

/**
 * The contrastive-learning picture drawn from actual numbers: the unit circle, the anchor, and
 * a dashed line from the anchor to each other point, green ("pull together") to the positives
 * and red ("push apart") to the negatives; points coloured by role and labelled.
 * @param points 2-D embeddings with a role each; exactly one anchor
 * @returns a vega-lite spec (show it with clab.display.show)
 * @example
 * await clab.display.show(clab.plot.anchorDiagram([
 *   {name: 'anchor', role: 'anchor', x: 1, y: 0}, {name: 'positive', role: 'positive', x: 0.9, y: 0.42},
 *   {name: 'negative', role: 'negative', x: -1, y: 0}]));
 */
export function anchorDiagram(points: AnchorPoint[], options: AnchorDiagramOptions = {}): VegaLiteSpec {
  if (!Array.isArray(points) || points.length < 2) {
    throw new Error(`anchorDiagram: points must be an array of at least 2 {name, role, x, y}, got ${Array.isArray(points) ? `${points.length} point(s)` : typeof points}`);
  }
  points.forEach((p, i) => {
    if (!Object.prototype.hasOwnProperty.call(ROLE_COLOURS, p?.role)) throw new Error(`anchorDiagram: points[${i}].role must be 'anchor', 'positive' or 'negative', got ${JSON.stringify(p?.role)}`);
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new Error(`anchorDiagram: points[${i}] needs finite x and y, got (${p.x}, ${p.y})`);
  });
  const anchors = points.filter((p) => p.role === 'anchor');
  if (anchors.length !== 1) throw new Error(`anchorDiagram: exactly one point must have role 'anchor', got ${anchors.length}`);
  const [a] = anchors;
  const circle = Array.from({ length: 101 }, (_, i) => ({ i, x: Math.cos((2 * Math.PI * i) / 100), y: Math.sin((2 * Math.PI * i) / 100) }));
  const links = points.filter((p) => p !== a).map((p) => ({ x: a.x, y: a.y, x2: p.x, y2: p.y, force: p.role === 'positive' ? 'pull together' : 'push apart' }));
  // Room for the labels outside the circle; both axes the same so the circle stays round.
  const reach = Math.max(1, ...points.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y)))) * 1.35;
  const X = { field: 'x', type: 'quantitative', scale: { domain: [-reach, reach] }, axis: null };
  const Y = { field: 'y', type: 'quantitative', scale: { domain: [-reach, reach] }, axis: null };
  const size = options.size ?? 300;
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: size,
    height: size,
    title: options.title ?? 'Pull the positive in, push the negatives away',
    config: { view: { stroke: null } },
    layer: [
      { data: { values: circle }, mark: { type: 'line', color: '#ccc' }, encoding: { x: X, y: Y, order: { field: 'i' } } },
      {
        data: { values: links },
        mark: { type: 'rule', strokeWidth: 2, strokeDash: [6, 3] },
        encoding: {
          x: X, y: Y, x2: { field: 'x2' }, y2: { field: 'y2' },
          stroke: { field: 'force', type: 'nominal', title: null, scale: { domain: ['pull together', 'push apart'], range: [ROLE_COLOURS.positive, ROLE_COLOURS.negative] } },
        },
      },
      {
        data: { values: points.map(({ name, role, x, y }) => ({ name, role, x, y })) },
        mark: { type: 'point', filled: true, size: 140, opacity: 1 },
        encoding: { x: X, y: Y, fill: { field: 'role', type: 'nominal', title: null, scale: { domain: Object.keys(ROLE_COLOURS), range: Object.values(ROLE_COLOURS) } } },
      },
      {
        data: { values: points.map(({ name, x, y }) => ({ name, x, y })) },
        mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 12 },
        encoding: { x: X, y: Y, text: { field: 'name' } },
      },
    ],
  };
}
