import assert from 'node:assert/strict';
import { mapLimit } from './map_limit';

describe('mapLimit(items, limit, f) runs at most `limit` calls at once', () => {
  it('mapLimit([5 items], 2, f) keeps the order and never has more than 2 calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([30, 10, 20, 0, 5], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return `${i}:${ms}`;
    });
    assert.deepEqual(out, ['0:30', '1:10', '2:20', '3:0', '4:5']);
    assert.equal(peak, 2);
  });

  it('mapLimit([], 4, f) is [] and a limit of 0 still makes progress with one worker', async () => {
    assert.deepEqual(await mapLimit([], 4, async (x) => x), []);
    assert.deepEqual(await mapLimit([1, 2], 0, async (x) => x * 3), [1 * 3, 2 * 3]);
  });

  it('mapLimit rejects with the first error and starts no new item after it', async () => {
    const started: number[] = [];
    await assert.rejects(
      mapLimit([1, 2, 3, 4], 1, async (x) => {
        started.push(x);
        if (x === 2) throw new Error('boom at 2');
        return x;
      }),
      /boom at 2/,
    );
    assert.deepEqual(started, [1, 2]);
  });
});
