import assert from 'node:assert/strict';
import { svgDataUri } from './html_escape';

describe('svgDataUri', () => {
  it('svgDataUri(svg) decodes back to the SVG (line breaks as spaces) and holds no raw % # " &', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text fill="#000">50% &amp; more\nlines</text></svg>';
    const uri = svgDataUri(svg);
    assert.ok(uri.startsWith('data:image/svg+xml,'));
    const body = uri.slice('data:image/svg+xml,'.length);
    assert.doesNotMatch(body, /[#"&\n]|%(?![0-9A-F]{2})/);
    assert.equal(decodeURIComponent(body), svg.replace('\n', ' '));
  });

  it('svgDataUri throws naming what it got when that is not an SVG document', () => {
    assert.throws(() => svgDataUri('<p>no</p>'), /svgDataUri: svg must be an SVG document string, got "<p>no<\/p>"/);
  });
});
