import * as os from 'node:os';
import * as path from 'node:path';
import { ENGINE_FLAGS, engineOverrides } from '../command_line/engine_flags';
import type { VerbSpec } from '../command_line/verb_spec';
import { parseShard } from './parse_shard';
import { Shard, shardManifestName } from '../report/shard_manifest';
import { statSubmission } from '../engine/stat_submission';
import { SandboxProcess } from '../sandbox/sandbox_process';

/** `clab-grade grade-all <dir>`: its arguments, flags and defaults. */
export const GRADE_ALL_VERB: VerbSpec = {
  name: 'grade-all',
  summary: 'every folder/.zip in dir; gradebook.csv in --out',
  description: [
    'Grades every submission in a folder (each entry a folder or a .zip), --jobs at a time, and',
    'writes <out>/<submission>/{results.json,junit.xml,summary.md,grade.json}, <out>/gradebook.csv and',
    'the class report: <out>/mistakes.csv, tests.csv and class-report.html.',
    'A rerun skips submissions that already have grade.json (unless --force). With --shard K/N',
    'it grades one of N deterministic parts, for N machines; clab-grade merge joins them.',
  ].join('\n'),
  positionals: [{ name: '<dir>', help: 'folder whose entries (folders or .zip files) are submissions', required: true }],
  flags: {
    out: { type: 'string', value: 'DIR', default: 'grader-results', help: 'output folder' },
    jobs: { type: 'number', integer: true, value: 'N', default: os.cpus().length, help: 'submissions graded at once (default: the number of cores)' },
    force: { type: 'boolean', help: 'regrade submissions that already have results' },
    shard: {
      type: 'string',
      value: 'K/N',
      help: 'grade only the K-th of N parts (submission i, in sorted order, when i mod N = K-1); writes shard-K-of-N.json for merge instead of gradebook.csv',
      parse: parseShard,
    },
    only: ENGINE_FLAGS.only,
    'timeout-ms': ENGINE_FLAGS['timeout-ms'],
    'memory-mb': ENGINE_FLAGS['memory-mb'],
    'no-typecheck': ENGINE_FLAGS['no-typecheck'],
  },
  run: async ({ positionals: [dir], flags }) => {
    const out = flags.out as string;
    statSubmission(dir); // a mistyped path fails before the slow start
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { gradeAllCommand } = require('./grade_all_command') as typeof import('./grade_all_command');
    // Submissions run side by side (one exercise at a time each): the engine's default concurrency 1.
    const shard = flags.shard as Shard | undefined;
    const r = await gradeAllCommand({ dir, out, jobs: flags.jobs as number, force: flags.force === true, shard, grade: engineOverrides(flags) });
    const where = shard
      ? `shard ${shard.index} of ${shard.count}: ${path.join(out, shardManifestName(shard))} (merge the shards with clab-grade merge)`
      : `gradebook: ${path.join(out, 'gradebook.csv')}, class report: ${path.join(out, 'class-report.html')}`;
    // The sandboxed children's CPU is not in this process's rusage (they are killed, not reaped).
    process.stdout.write(`${where} (${r.rows.length} submissions; sandboxed children used ${SandboxProcess.cpuSeconds.toFixed(1)} CPU-s)\n`);
    return r.code;
  },
};
