/**
 * Mutual information, in nats, of x ~ N(0, I_dim) and y = rho x + sqrt(1 - rho^2) eps,
 * eps ~ N(0, I_dim): I(x; y) = -(dim / 2) log(1 - rho^2).
 *
 * Each of the `dim` coordinate pairs (x_k, y_k) is an independent bivariate Gaussian with
 * correlation rho and contributes -(1/2) log(1 - rho^2).
 * @param rho correlation of each coordinate pair, in (-1, 1)
 * @param dim number of coordinate pairs, an integer >= 1
 * @returns I(x; y) in nats (natural log), >= 0
 * @example gaussianMI(Math.sqrt(1 - Math.exp(-1)), 20) // 10 (nats)
 */
export function gaussianMI(rho: number, dim: number): number {
  if (!Number.isFinite(rho) || rho <= -1 || rho >= 1) {
    throw new Error(`gaussianMI: rho must be in (-1, 1), got ${rho}`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new Error(`gaussianMI: dim must be an integer >= 1, got ${dim}`);
  }
  // log1p keeps precision for small rho, where 1 - rho^2 rounds towards 1.
  return -(dim / 2) * Math.log1p(-rho * rho);
}
