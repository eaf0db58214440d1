#!/usr/bin/env node
// clab-grade: parses the command line and hands off to one verb. Exit codes: grader/exit_codes.ts.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { checkCommand } from './check/check_command';
import { EXIT } from './exit_codes';
import { gradeAllCommand } from './grade_all/grade_all_command';
import { gradeCommand } from './grade/grade_command';
import { PROJECT_ROOT } from './grade/grade_submission';
import type { GradeOptions } from './grade/grade_types';
import { releaseCommand } from './release/release_command';
import { stopTypecheckWorker } from './grade/typecheck_async';

const USAGE = `usage: clab-grade <verb> [options]
  check [dir]                 public tests of exercises/ (or dir), for students
  grade <dir|zip>             all tests of one submission; reports in --out
  grade-all <dir>             every folder/.zip in dir; --jobs N, --force; gradebook.csv in --out
  release <out>               write the student repository to <out>
options: --out DIR (default grader-results)  --classroom  --exit-zero  --only ex01,ex02
         --timeout-ms N  --memory-mb N  --no-typecheck  --jobs N  --force
exit codes: 0 all passed, 1 some failed, 2 usage, 3 unreadable submission, 4 grader error`;

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        classroom: { type: 'boolean', default: false },
        'exit-zero': { type: 'boolean', default: false },
        only: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'memory-mb': { type: 'string' },
        'no-typecheck': { type: 'boolean', default: false },
        jobs: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values: v, positionals: [verb, target] } = parsed;
  if (v.help || verb === undefined) {
    process.stdout.write(USAGE + '\n');
    return v.help ? EXIT.ok : EXIT.usage;
  }
  const num = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got ${s}`);
    return n;
  };
  const grade: Partial<GradeOptions> = {
    testTimeoutMs: num(v['timeout-ms'], 'timeout-ms'),
    memoryMb: num(v['memory-mb'], 'memory-mb'),
    typecheck: !v['no-typecheck'],
    only: v.only?.split(',').map((s) => s.trim()),
  };
  for (const k of Object.keys(grade) as Array<keyof GradeOptions>) if (grade[k] === undefined) delete grade[k];
  const out = v.out ?? 'grader-results';
  switch (verb) {
    case 'check':
      return checkCommand(target, grade, v.classroom);
    case 'grade':
      if (!target) throw new UsageError('grade needs a submission folder or .zip');
      return gradeCommand({ submission: target, out, classroom: v.classroom, exitZero: v['exit-zero'], grade });
    case 'grade-all': {
      if (!target) throw new UsageError('grade-all needs a folder of submissions');
      const r = await gradeAllCommand({ dir: target, out, jobs: num(v.jobs, 'jobs'), force: v.force, grade });
      process.stdout.write(`gradebook: ${path.join(out, 'gradebook.csv')} (${r.rows.length} submissions)\n`);
      return r.code;
    }
    case 'release': {
      if (!target) throw new UsageError('release needs an output folder');
      const r = releaseCommand(PROJECT_ROOT, target);
      process.stdout.write(`release: ${r.files} files in ${target}; exercises ${r.exercises.join(', ')}; ${r.publicTests} public tests frozen, ${r.hiddenTestsWithheld} hidden tests withheld; no solution text or hidden test name found\n`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown verb ${JSON.stringify(verb)}; valid verbs are check, grade, grade-all, release`);
  }
}

class UsageError extends Error {}

/** Runs one command line; resolves to the exit code (never rejects). */
async function main(argv: string[]): Promise<number> {
  // Every verb makes tensors in this process (the specs' inputs and references), and tfjs's cpu
  // backend greets its first tensor with a banner recommending tfjs-node. Production mode
  // silences tfjs's console messages only (its errors still throw); the sandbox child sets it too.
  tf.enableProdMode();
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`clab-grade: ${e.message}\n${USAGE}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`clab-grade: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.graderError;
  } finally {
    await stopTypecheckWorker();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

export { main };
