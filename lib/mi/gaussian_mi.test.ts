import assert from 'node:assert/strict';
import { gaussianMI } from './gaussian_mi';
import { jointGaussianMI } from './joint_gaussian_mi';
import { rhoForMI } from './rho_for_mi';

describe('gaussianMI / rhoForMI / jointGaussianMI', () => {
  it('gaussianMI(rho, 1) equals -(1/2) log(1 - rho^2)', () => {
    assert.ok(Math.abs(gaussianMI(0.5, 1) - -0.5 * Math.log(1 - 0.25)) < 1e-15);
    assert.equal(gaussianMI(0, 7), 0);
  });

  it('gaussianMI(rho, dim) is dim times the 1-d value and even in rho', () => {
    assert.ok(Math.abs(gaussianMI(0.8, 20) - 20 * gaussianMI(0.8, 1)) < 1e-12);
    assert.equal(gaussianMI(-0.8, 20), gaussianMI(0.8, 20));
  });

  it('rhoForMI(mi, dim) inverts gaussianMI: gaussianMI(rhoForMI(mi, 20), 20) = mi for mi in 0..10', () => {
    for (const mi of [0, 1e-9, 0.5, 2, 4, 6, 8, 10]) {
      assert.ok(Math.abs(gaussianMI(rhoForMI(mi, 20), 20) - mi) < 1e-9 * (1 + mi), `mi = ${mi}`);
    }
    assert.ok(Math.abs(rhoForMI(10, 20) - Math.sqrt(1 - Math.exp(-1))) < 1e-15);
  });

  it('jointGaussianMI([[I, rho I], [rho I, I]], dim) equals gaussianMI(rho, dim)', () => {
    const dim = 3;
    const rho = 0.6;
    const cov = Array.from({ length: 2 * dim }, (_, i) =>
      Array.from({ length: 2 * dim }, (_, j) => (i === j ? 1 : Math.abs(i - j) === dim ? rho : 0)),
    );
    assert.ok(Math.abs(jointGaussianMI(cov, dim) - gaussianMI(rho, dim)) < 1e-12);
  });

  it('jointGaussianMI does not depend on the scale of x or y: [[4, 0.5*2*3], [.., 9]] gives -(1/2) log(1 - 0.25)', () => {
    const c = 0.5 * 2 * 3;
    assert.ok(Math.abs(jointGaussianMI([[4, c], [c, 9]], 1) - -0.5 * Math.log(1 - 0.25)) < 1e-12);
  });

  it('jointGaussianMI of one x against two y equals -(1/2) log(1 - R^2) with R^2 the regression fit', () => {
    // x ~ N(0,1), y1 = x + e1, y2 = e2 with unit noise: R^2 of x on (y1, y2) = 1/2.
    const cov = [
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ];
    assert.ok(Math.abs(jointGaussianMI(cov, 1) - -0.5 * Math.log(1 - 0.5)) < 1e-12);
  });

  it('gaussianMI / rhoForMI throw on rho outside (-1, 1), mi < 0, dim < 1, naming the value', () => {
    assert.throws(() => gaussianMI(1, 2), /gaussianMI: rho must be in \(-1, 1\), got 1/);
    assert.throws(() => gaussianMI(-1.5, 2), /rho must be in \(-1, 1\), got -1.5/);
    assert.throws(() => gaussianMI(NaN, 2), /got NaN/);
    assert.throws(() => gaussianMI(0.5, 0), /gaussianMI: dim must be an integer >= 1, got 0/);
    assert.throws(() => rhoForMI(-1, 2), /rhoForMI: mi must be a finite number >= 0 \(nats\), got -1/);
    assert.throws(() => rhoForMI(1, 2.5), /rhoForMI: dim must be an integer >= 1, got 2.5/);
  });

  it('jointGaussianMI throws on a non-square, asymmetric or indefinite covariance and a bad dimX', () => {
    assert.throws(() => jointGaussianMI([[1, 0]], 1), /cov must be a square matrix of size >= 2/);
    assert.throws(() => jointGaussianMI([[1, 0], [0, 1]], 2), /dimX must be an integer in \[1, 1\], got 2/);
    assert.throws(() => jointGaussianMI([[1, 0.5], [0.2, 1]], 1), /symmetric/);
    assert.throws(() => jointGaussianMI([[1, 2], [2, 1]], 1), /positive definite/);
  });
});
