import assert from 'node:assert/strict';
import { plainTitle } from './plain_title';

describe('plainTitle', () => {
  it("plainTitle('02 · The InfoNCE bound: $I(x;y) \\\\ge \\\\log N - \\\\mathcal{L}$, proved') reads as Unicode text", () => {
    assert.equal(plainTitle('02 · The InfoNCE bound: $I(x;y) \\ge \\log N - \\mathcal{L}$, proved'), '02 · The InfoNCE bound: I(x;y) ≥ log N - L, proved');
  });

  it('drops emphasis, code and link marks', () => {
    assert.equal(plainTitle('*SimCLR* on `MNIST`, see [the paper](https://x)'), 'SimCLR on MNIST, see the paper');
  });
});
