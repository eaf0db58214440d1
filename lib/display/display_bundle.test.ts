import assert from 'node:assert/strict';
import { checkInterrupt, displayBundle, Displayable, DisplayMessage, inKernel, JUPYTER_DISPLAY, JUPYTER_KERNEL, setDisplaySink } from './display_bundle';

function captureLog(fn: () => void): string[] {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    fn();
  } finally {
    console.log = orig;
  }
  return lines;
}

describe('displayBundle', () => {
  afterEach(() => setDisplaySink(null));

  it('displayBundle(bundle) outside a kernel prints text/plain, returns false and does not throw', () => {
    assert.equal(inKernel(), false);
    let sent = true;
    const lines = captureLog(() => {
      sent = displayBundle({ 'text/html': '<b>x</b>', 'text/plain': 'x' });
    });
    assert.equal(sent, false);
    assert.deepEqual(lines, ['x']);
  });

  it("displayBundle(bundle, {fallback: 'silent'}) outside a kernel prints nothing", () => {
    assert.deepEqual(captureLog(() => displayBundle({ 'text/plain': 'x' }, { fallback: 'silent' })), []);
  });

  it('displayBundle(bundle) sends ONE message with every mime type, binary as base64', () => {
    const seen: [DisplayMessage, boolean][] = [];
    setDisplaySink((m, u) => seen.push([m, u]));
    assert.equal(displayBundle({ 'image/png': new Uint8Array([1, 2, 3]), 'text/plain': 't' }), true);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0][0].data, { 'image/png': Buffer.from([1, 2, 3]).toString('base64'), 'text/plain': 't' });
    assert.equal(seen[0][1], false);
  });

  it('displayBundle(bundle, {displayId, update: true}) sends update_display_data for that id', () => {
    const seen: [DisplayMessage, boolean][] = [];
    setDisplaySink((m, u) => seen.push([m, u]));
    displayBundle({ 'text/plain': 'a' }, { displayId: 'abc' });
    displayBundle({ 'text/plain': 'b' }, { displayId: 'abc', update: true });
    assert.deepEqual(seen.map(([m, u]) => [m.transient.display_id, u]), [['abc', false], ['abc', true]]);
  });

  it("displayBundle hands the kernel at globalThis[Symbol.for('Jupyter.kernel')] ONE displayable: [Symbol.for('Jupyter.display')]() is the bundle", () => {
    const seen: [unknown, unknown][] = [];
    const api = { display: (value: unknown, options: unknown) => void seen.push([value, options]), clearOutput: () => undefined, checkInterrupt: () => undefined };
    (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL] = api;
    try {
      assert.equal(inKernel(), true);
      assert.equal(displayBundle({ 'image/png': new Uint8Array([1]), 'text/plain': 'k' }, { displayId: 'd1' }), true);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL];
    }
    assert.equal(inKernel(), false);
    assert.equal(seen.length, 1);
    const [value, options] = seen[0] as [Displayable, Record<string, unknown>];
    assert.deepEqual(value[JUPYTER_DISPLAY](), { 'image/png': Buffer.from([1]).toString('base64'), 'text/plain': 'k' });
    assert.deepEqual(options, { displayId: 'd1', update: false, metadata: {} });
  });

  it("checkInterrupt() throws what the kernel's checkInterrupt throws, and does nothing outside a kernel", () => {
    assert.doesNotThrow(() => checkInterrupt());
    (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL] = {
      display: () => undefined,
      clearOutput: () => undefined,
      checkInterrupt: () => {
        throw new Error('interrupted by the test');
      },
    };
    try {
      assert.throws(() => checkInterrupt(), /interrupted by the test/);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL];
    }
  });

  it('displayBundle throws naming the problem for an empty bundle or an update without id', () => {
    assert.throws(() => displayBundle({}), /displayBundle: data must be a non-empty object.*got an empty object/);
    assert.throws(() => displayBundle({ 'text/plain': 'x' }, { update: true }), /displayBundle: update needs a displayId/);
  });
});
