import type { Shard } from '../report/shard_manifest';

/**
 * Parses `K/N` (1 <= K <= N, whole numbers), the value of `grade-all --shard`.
 * @throws Error whose message says what is expected (the CLI adds the flag and the value)
 * @example parseShard('2/4') // { index: 2, count: 4 }
 */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error('must be K/N with whole numbers 1 <= K <= N (e.g. 2/4 is the second of four shards)');
  return { index, count };
}

