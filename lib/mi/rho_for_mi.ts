/**
 * The correlation rho >= 0 that gives x, y (see {@link gaussianMI}) the mutual information `mi`:
 * rho = sqrt(1 - exp(-2 mi / dim)), the inverse of gaussianMI on rho >= 0.
 * @param mi mutual information in nats, >= 0 and finite
 * @param dim number of coordinate pairs, an integer >= 1
 * @returns rho in [0, 1)
 * @example rhoForMI(10, 20) // sqrt(1 - e^-1) = 0.7951
 * WARNING: for mi / dim above about 18 nats, rho rounds to 1 in float64 (and gaussianMI rejects it).
 */
export function rhoForMI(mi: number, dim: number): number {
  if (!Number.isFinite(mi) || mi < 0) {
    throw new Error(`rhoForMI: mi must be a finite number >= 0 (nats), got ${mi}`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new Error(`rhoForMI: dim must be an integer >= 1, got ${dim}`);
  }
  // -expm1(-a) = 1 - exp(-a) without cancellation for small mi.
  return Math.sqrt(-Math.expm1((-2 * mi) / dim));
}
