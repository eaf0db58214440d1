import assert from 'node:assert/strict';
import { exactDiscreteBound } from './exact_discrete_bound';

describe('exactDiscreteBound', () => {
  it('exactDiscreteBound(independent x, c) gives I = 0 and bound = ln N - ln N = 0 exactly', () => {
    const rows = exactDiscreteBound({ joint: [['1/6', '1/3'], ['1/6', '1/3']], batchSizes: [2, 3] });
    for (const r of rows) {
      assert.equal(r.mi, 0);
      assert.ok(Math.abs(r.bound) < 1e-15, JSON.stringify(r));
      assert.ok(r.holds);
    }
  });

  it('exactDiscreteBound(c = x, a fair bit) gives bound (1/2) ln 2 at N = 2 and (3/4) ln 3 - (1/2) ln 2 at N = 3', () => {
    // Row i's q is the number of c_j equal to x_i: 1 + Binomial(N - 1, 1/2), so E[L] = E[ln q].
    const [n2, n3] = exactDiscreteBound({ joint: [['1/2', 0], [0, '1/2']], batchSizes: [2, 3] });
    assert.ok(Math.abs(n2.mi - Math.log(2)) < 1e-15);
    assert.ok(Math.abs(n2.bound - 0.5 * Math.log(2)) < 1e-15);
    assert.ok(Math.abs(n3.bound - (0.75 * Math.log(3) - 0.5 * Math.log(2))) < 1e-15);
    assert.ok(n2.exact.gap.startsWith('0.346573590279972654708616060729088284037'), n2.exact.gap); // (1/2) ln 2
  });

  it('exactDiscreteBound on a 3x3 table: ln N - E[L] <= I for N = 2, 3, 4 and the gap shrinks as N grows', () => {
    const d = '1/4';
    const o = '1/24';
    const rows = exactDiscreteBound({ joint: [[d, o, o], [o, d, o], [o, o, d]], batchSizes: [2, 3, 4] });
    const mi = 0.75 * Math.log(9 / 4) + 0.25 * Math.log(9 / 24); // sum p log(p / (1/9))
    for (const r of rows) {
      assert.ok(Math.abs(r.mi - mi) < 1e-14);
      assert.ok(r.holds && r.gap > 0 && r.bound <= r.logN, JSON.stringify(r));
    }
    assert.ok(rows[0].gap > rows[1].gap && rows[1].gap > rows[2].gap, rows.map((r) => r.gap).join(' > '));
  });

  it('exactDiscreteBound throws on a table that does not sum to 1, a negative entry, N < 2 and a too large enumeration', () => {
    assert.throws(() => exactDiscreteBound({ joint: [['1/2', '1/3']] }), /exactDiscreteBound: joint must sum to exactly 1, got 5\/6/);
    assert.throws(() => exactDiscreteBound({ joint: [['3/2', '-1/2']] }), /joint\[0\]\[1\] must be >= 0, got -1\/2/);
    assert.throws(() => exactDiscreteBound({ joint: [['1/2', '1/2']], batchSizes: [1] }), /every batch size N must be an integer >= 2, got 1/);
    assert.throws(() => exactDiscreteBound({ joint: [['1/4', '1/4'], ['1/4', '1/4']], batchSizes: [20] }), /needs 1099511627776 batches/);
    assert.throws(() => exactDiscreteBound({ joint: [['a', 1]] }), /joint\[0\]\[0\] must be a probability/);
  });
});
