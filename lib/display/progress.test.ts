import assert from 'node:assert/strict';
import { DisplayMessage, JUPYTER_KERNEL, setDisplaySink } from './display_bundle';
import { progress } from './progress';

describe('progress', () => {
  afterEach(() => setDisplaySink(null));

  it('progress(...).update coalesces: 100 updates within 99 ms draw once more; done() draws the final state', () => {
    const seen: [DisplayMessage, boolean][] = [];
    setDisplaySink((m, u) => seen.push([m, u]));
    let t = 0;
    const p = progress({ total: 100, label: 'train', now: () => t, minIntervalMs: 250 });
    // The initial draw happens at t = 0; t = 250 is the first time another may be drawn.
    for (let s = 1; s <= 100; s++) {
      t = 250 + s - 1;
      p.update({ step: s, loss: 1 / s });
    }
    assert.equal(seen.length, 2); // initial + the update at t = 250
    p.done();
    assert.equal(seen.length, 3);
    const ids = new Set(seen.map(([m]) => m.transient.display_id));
    assert.equal(ids.size, 1, 'every draw targets the same display_id');
    assert.deepEqual(seen.map(([, u]) => u), [false, true, true], 'only the first is a new output');
    const last = seen[2][0].data['text/plain'] as string;
    assert.match(last, /^train 100% \[#{20}\] 100\/100 steps \| loss 0\.010000 \| done in 0:00/);
    assert.match(seen[2][0].data['text/html'] as string, /<progress value="100" max="100"/);
  });

  it("progress(...).update throws the kernel's interrupt error once the cell is interrupted: a loop that reports progress stops at its next step", () => {
    let interrupted = false;
    (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL] = {
      display: () => undefined,
      clearOutput: () => undefined,
      checkInterrupt: () => {
        if (interrupted) throw new Error('Interrupted');
      },
    };
    try {
      const p = progress({ total: 10, silent: true });
      let steps = 0;
      assert.throws(() => {
        for (let s = 1; s <= 10; s++) {
          p.update({ step: s });
          steps = s;
          if (s === 3) interrupted = true;
        }
      }, /Interrupted/);
      assert.equal(steps, 3);
      assert.doesNotThrow(() => p.done());
    } finally {
      delete (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL];
    }
  });

  it('progress at minIntervalMs 250 draws at most 4 times a second (plus the final draw)', () => {
    let draws = 0;
    setDisplaySink(() => draws++);
    let t = 0;
    const p = progress({ total: 1000, now: () => t });
    for (let s = 1; s <= 1000; s++) {
      t = s; // 1 ms per step: 1 s in all
      p.update({ step: s });
    }
    p.done();
    assert.equal(draws, 1 + 4 + 1); // initial, t = 250, 500, 750, 1000, final
  });

  it('progress text shows items/s and ETA from the step rate', () => {
    let t = 0;
    const p = progress({ total: 10, itemsPerStep: 256, now: () => t, silent: true });
    t = 2000;
    p.update({ step: 4, epoch: 1 });
    // 4 steps in 2 s = 2 steps/s = 512 images/s; 6 steps left at 2 steps/s = 3 s.
    assert.match(p.text, /40% .* 4\/10 steps \| epoch 1 \| 512 images\/s \| 0:02 elapsed, ETA 0:03$/);
  });

  it('progress outside a kernel on a TTY rewrites one line with \\r and ends it on done()', () => {
    let out = '';
    const stream = { isTTY: true, write: (s: string) => (out += s) };
    let t = 0;
    const p = progress({ total: 2, stream, now: () => t });
    t = 300;
    p.update({ step: 1 });
    t = 600;
    p.done({ step: 2 });
    assert.equal(out.split('\r').length - 1, 3);
    assert.equal(out.split('\n').length - 1, 1);
    assert.ok(out.endsWith('\n'));
  });

  it('progress outside a kernel without a TTY writes a line per 10% only', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => void lines.push(s) };
    let t = 0;
    const p = progress({ total: 100, stream, now: () => t, minIntervalMs: 0 });
    for (let s = 1; s <= 100; s++) {
      t += 10;
      p.update({ step: s });
    }
    p.done();
    assert.equal(lines.length, 1 + 10 + 1); // 0%, each of 10%..100%, final
    assert.ok(lines.every((l) => l.endsWith('\n') && !l.includes('\r')));
  });

  it('progress throws naming a bad total, interval or state', () => {
    assert.throws(() => progress({ total: 0 }), /progress: total must be a number > 0, got 0/);
    assert.throws(() => progress({ total: 5, minIntervalMs: -1 }), /progress: minIntervalMs must be >= 0, got -1/);
    const p = progress({ total: 5, silent: true });
    assert.throws(() => p.update({ step: NaN }), /progress.update: state.step must be a finite number/);
    p.done();
  });
});
