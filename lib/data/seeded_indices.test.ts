import assert from 'node:assert/strict';
import { balancedSubset, shuffledIndices } from './seeded_indices';

describe('shuffledIndices / balancedSubset', () => {
  it('shuffledIndices(n, seed) is a permutation of 0..n-1, reproducible per seed', () => {
    const p = shuffledIndices(1000, 7);
    assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(p, shuffledIndices(1000, 7));
    assert.notDeepEqual(p, shuffledIndices(1000, 8));
    assert.equal(shuffledIndices(0, 1).length, 0);
  });

  it('shuffledIndices throws on a bad n or seed', () => {
    assert.throws(() => shuffledIndices(-1, 0), /shuffledIndices: n must be an integer >= 0, got -1/);
    assert.throws(() => shuffledIndices(3, 0.5), /shuffledIndices: seed must be an integer, got 0.5/);
  });

  it('balancedSubset(labels, 2, seed) takes exactly 2 distinct indices of each of 3 classes', () => {
    const labels = Uint8Array.from({ length: 30 }, (_, i) => i % 3);
    const idx = balancedSubset(labels, 2, 0);
    assert.equal(idx.length, 3 * 2);
    assert.equal(new Set(idx).size, 6);
    for (const c of [0, 1, 2]) assert.equal([...idx].filter((i) => labels[i] === c).length, 2);
    assert.deepEqual(idx, balancedSubset(labels, 2, 0));
    assert.notDeepEqual(idx, balancedSubset(labels, 2, 1));
  });

  it('balancedSubset throws naming the class that has too few examples', () => {
    assert.throws(() => balancedSubset([0, 0, 1], 2, 0), /balancedSubset: class 1 has 1 examples, fewer than perClass = 2/);
    assert.throws(() => balancedSubset([0, 1], 0, 0), /perClass must be an integer >= 1, got 0/);
  });
});
