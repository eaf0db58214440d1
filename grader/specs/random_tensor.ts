import { plainTensor, PlainTensor } from '../plain_value';
import type { Rng } from '../../lib/tensor';

/** A plain float32 tensor of standard normals times `scale`, from a seeded generator. */
export function randomTensor(rng: Rng, shape: number[], scale = 1): PlainTensor {
  return plainTensor(shape, rng.normals(shape.reduce((a, b) => a * b, 1), scale));
}

/** A plain [rows, dim] tensor whose rows have unit L2 norm. */
export function unitRows(rng: Rng, rows: number, dim: number): PlainTensor {
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    const v = rng.normals(dim);
    const n = Math.hypot(...v);
    data.push(...v.map((x) => x / n));
  }
  return plainTensor([rows, dim], data);
}
