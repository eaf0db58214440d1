import * as math from 'mathjs';

/**
 * Mutual information, in nats, between the first `dimX` coordinates (x) and the remaining ones
 * (y) of a jointly Gaussian vector with covariance `cov`:
 * I(x; y) = (1/2) [log det S_xx + log det S_yy - log det S], computed with mathjs LU
 * log-determinants (sums of log |U_kk|, so large dimensions do not overflow det()).
 * @param cov the joint covariance [dx + dy, dx + dy], symmetric positive definite
 * @param dimX how many leading coordinates form x, 1 <= dimX < cov.length
 * @returns I(x; y) in nats
 * @example jointGaussianMI([[1, 0.5], [0.5, 1]], 1) // -(1/2) log(1 - 0.25) = 0.1438
 */
export function jointGaussianMI(cov: number[][], dimX: number): number {
  const d = Array.isArray(cov) ? cov.length : 0;
  if (d < 2 || !cov.every((row) => Array.isArray(row) && row.length === d)) {
    const shape = Array.isArray(cov) ? `[${cov.length},${cov.map((r) => (Array.isArray(r) ? r.length : '?')).join('|')}]` : String(cov);
    throw new Error(`jointGaussianMI: cov must be a square matrix of size >= 2, got shape ${shape}`);
  }
  if (!Number.isInteger(dimX) || dimX < 1 || dimX >= d) {
    throw new Error(`jointGaussianMI: dimX must be an integer in [1, ${d - 1}], got ${dimX}`);
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(cov[i][j]) || Math.abs(cov[i][j] - cov[j][i]) > 1e-9 * (1 + Math.abs(cov[i][j]))) {
        throw new Error(`jointGaussianMI: cov must be symmetric and finite, got cov[${i}][${j}] = ${cov[i][j]} and cov[${j}][${i}] = ${cov[j][i]}`);
      }
    }
  }
  const sxx = cov.slice(0, dimX).map((r) => r.slice(0, dimX));
  const syy = cov.slice(dimX).map((r) => r.slice(dimX));
  const ld = logDetSPD(cov, 'cov');
  return 0.5 * (logDetSPD(sxx, 'cov[x,x]') + logDetSPD(syy, 'cov[y,y]') - ld);
}

/** log det of a symmetric positive definite matrix via mathjs LU; throws when det <= 0. */
function logDetSPD(a: number[][], name: string): number {
  const { U, p } = math.lup(a) as unknown as { U: number[][]; p: number[] };
  let sum = 0;
  let negatives = 0;
  for (let k = 0; k < a.length; k++) {
    const u = U[k][k];
    if (u === 0 || !Number.isFinite(u)) {
      throw new Error(`jointGaussianMI: ${name} must be positive definite, got a singular matrix (LU pivot ${u})`);
    }
    if (u < 0) negatives++;
    sum += Math.log(Math.abs(u));
  }
  if ((negatives + permutationParity(p)) % 2 !== 0) {
    throw new Error(`jointGaussianMI: ${name} must be positive definite, got a negative determinant`);
  }
  return sum;
}

/** 0 for an even permutation, 1 for an odd one. */
function permutationParity(p: number[]): number {
  const seen = new Array<boolean>(p.length).fill(false);
  let parity = 0;
  for (let i = 0; i < p.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = p[j]) {
      seen[j] = true;
      len++;
    }
    parity += len - 1;
  }
  return parity % 2;
}
