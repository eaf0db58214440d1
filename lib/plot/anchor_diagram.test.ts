import assert from 'node:assert/strict';
import { anchorDiagram, AnchorPoint } from './anchor_diagram';
import { renderSvg } from './render_svg';

const at = (name: string, role: AnchorPoint['role'], deg: number): AnchorPoint => ({ name, role, x: Math.cos((deg * Math.PI) / 180), y: Math.sin((deg * Math.PI) / 180) });

describe('anchorDiagram', () => {
  it('anchorDiagram(anchor, 1 positive, 3 negatives) renders 5 points and 4 dashed lines: 1 green (pull), 3 red (push)', async () => {
    const points = [at('anchor', 'anchor', 0), at('pos', 'positive', 25), at('n1', 'negative', 90), at('n2', 'negative', 180), at('n3', 'negative', 270)];
    const svg = await renderSvg(anchorDiagram(points));
    const symbols = svg.match(/<g class="mark-symbol[^>]*>(.*?)<\/g>/)?.[1].match(/<path [^>]*>/g) ?? [];
    assert.equal(symbols.length, 5);
    const rules = svg.match(/<g class="mark-rule[^>]*>(.*?)<\/g>/)?.[1].match(/<line [^>]*>/g) ?? [];
    const strokes = rules.map((r) => r.match(/stroke="([^"]+)"/)?.[1]);
    assert.deepEqual(strokes.sort(), ['#2ca02c', '#d62728', '#d62728', '#d62728']);
    for (const name of ['anchor', 'pos', 'n1']) assert.match(svg, new RegExp(`>${name}<`));
  });

  it('anchorDiagram throws naming a missing anchor, a bad role and a non-finite coordinate', () => {
    assert.throws(() => anchorDiagram([at('a', 'negative', 0), at('b', 'positive', 1)]), /anchorDiagram: exactly one point must have role 'anchor', got 0/);
    assert.throws(() => anchorDiagram([at('a', 'anchor', 0), { name: 'b', role: 'hard' as never, x: 0, y: 1 }]), /anchorDiagram: points\[1\].role must be 'anchor', 'positive' or 'negative', got "hard"/);
    assert.throws(() => anchorDiagram([at('a', 'anchor', 0), { name: 'b', role: 'positive', x: NaN, y: 1 }]), /anchorDiagram: points\[1\] needs finite x and y, got \(NaN, 1\)/);
    assert.throws(() => anchorDiagram([at('a', 'anchor', 0)]), /anchorDiagram: points must be an array of at least 2/);
  });
});
