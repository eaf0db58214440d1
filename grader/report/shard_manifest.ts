import type { GradebookRow } from './gradebook_csv';

/** One part of a partition: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The `format` of a shard manifest `grade-all --shard` writes. */
export const SHARD_FORMAT = 'clab-grade/shard@3';

/**
 * The format before the release manifest was recorded: `merge` still reads it (its
 * `courseFiles` is absent, "not recorded"), and joins it only with shards that lack it too.
 */
export const SHARD_FORMAT_WITHOUT_COURSE_FILES = 'clab-grade/shard@2';

/** The release manifest a shard's course-files marks were made against (`grade-all --manifest`): as given, and its digest. */
export interface ShardCourseFiles {
  path: string;
  digest: string;
}

/** What `grade-all --shard K/N` leaves beside its submission folders, for `merge`. */
export interface ShardManifest {
  format: typeof SHARD_FORMAT | typeof SHARD_FORMAT_WITHOUT_COURSE_FILES;
  shard: number;
  of: number;
  /** Every submission of the whole run, sorted: the same list in every shard. */
  all: string[];
  /** Exercise ids, in gradebook column order. */
  exercises: string[];
  /** The fingerprint of the instructor secret every row was graded with (never the secret): merge joins only shards of one secret. */
  secret: string;
  /**
   * The release manifest every row's course-files mark was made against, or null: graded
   * without `--manifest` (no marks). Merge joins only shards that agree (by digest). Absent from
   * `shard@2`.
   */
  courseFiles?: ShardCourseFiles | null;
  /** This shard's rows, in the order of `all`. */
  rows: GradebookRow[];
}

/** The manifest's file name: `shard-2-of-4.json`. */
export function shardManifestName(s: Shard): string {
  return `shard-${s.index}-of-${s.count}.json`;
}

/** What a shard's `courseFiles` says, for people: `none (graded without --manifest)`, the path and digest, or `not recorded (...)`. */
export function shardCourseFilesLabel(m: Pick<ShardManifest, 'format' | 'courseFiles'>): string {
  if (m.courseFiles === undefined) return `not recorded (${m.format}, written by a grader older than the record)`;
  if (m.courseFiles === null) return 'none (graded without --manifest)';
  return `the release manifest ${m.courseFiles.path} (digest ${m.courseFiles.digest.slice(0, 12)})`;
}
