import type { GradebookRow } from './gradebook_csv';

/** One part of a partition: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The `format` of a shard manifest. */
export const SHARD_FORMAT = 'clab-grade/shard@2';

/** What `grade-all --shard K/N` leaves beside its submission folders, for `merge`. */
export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  shard: number;
  of: number;
  /** Every submission of the whole run, sorted: the same list in every shard. */
  all: string[];
  /** Exercise ids, in gradebook column order. */
  exercises: string[];
  /** The fingerprint of the instructor secret every row was graded with (never the secret): merge joins only shards of one secret. */
  secret: string;
  /** This shard's rows, in the order of `all`. */
  rows: GradebookRow[];
}

/** The manifest's file name: `shard-2-of-4.json`. */
export function shardManifestName(s: Shard): string {
  return `shard-${s.index}-of-${s.count}.json`;
}
