import * as fs from 'node:fs';
import type { SandboxSetup } from '../sandbox/prepare_sandbox';
import { writeSandboxDir } from '../sandbox/sandbox_files';
import type { FrozenExercise, FrozenTest } from './freeze_exercise';
import { submissionDigest } from './fresh_seeds';
import { poisonList } from './forbidden_lib';
import { compileSubmission, type CompiledFile } from './compile_submission';
import { exerciseBudgetMs, type GradeOptions } from './grade_options';
import { mapLimit } from './map_limit';
import type { ExerciseResult, GradeResult, TestResult } from './result_types';
import { ChildLane, runExercise } from './run_exercise';
import { typecheckAsync } from './typecheck_async';
import type { Submission } from './read_submission';

function failAll(ex: FrozenExercise, opts: GradeOptions, why: string): TestResult[] {
  return ex.tests
    .filter((t) => opts.visibilities.includes(t.visibility))
    .map((t) => ({ exercise: ex.id, name: t.name, visibility: t.visibility, score: 0, maxScore: t.points, status: 'failed' as const, feedback: why, output: '', knownMistake: null, ms: 0, stoppedBy: null, seed: t.seed }));
}

/** What the caller knows about a grade beyond the files and the exercises. */
export interface GradeContext {
  /** The fingerprint of the instructor secret the exercises were frozen with (fresh inputs); null or absent: each test's fixed seed. */
  secret?: string | null;
  /** Told of each test's results as the child sent them, before they are scored (replay shows them). */
  onResults?: (exercise: FrozenExercise, test: FrozenTest, results: unknown) => void;
  /** The submission's files compiled already (compileSubmission, in the freeze worker); absent: compiled here. */
  compiled?: ReadonlyMap<string, CompiledFile>;
}

/**
 * Grades one submission in a sandbox that is set up and proven (the grading session does both,
 * once per command): type-checks it (feedback only), compiles each exercise file in this trusted
 * process, refuses forbidden library uses, then runs the tests in sandboxed children and scores
 * them against the frozen references. Never throws for anything the student did.
 * @param submission the files, from readSubmission
 * @param exercises frozen exercises (see freezeExercise)
 * @param label where the submission came from, for reports
 * @param opts resolved options (see gradeOptions)
 * @param setup from prepareSandbox, proven by proveSandbox
 * @param context where the exercises' inputs came from, and who watches the raw results
 */
export async function gradeSubmission(submission: Submission, exercises: FrozenExercise[], label: string, opts: GradeOptions, setup: SandboxSetup, context: GradeContext = {}): Promise<GradeResult> {
  const t0 = Date.now();
  const { command, base } = setup;
  const selected = exercises.filter((e) => !opts.only || opts.only.includes(e.id));
  const present = new Map([...submission.files].filter(([f]) => selected.some((e) => e.file === f)));
  // Type-checking runs on a worker thread while the tests run; its messages are feedback only.
  const typecheck = opts.typecheck && present.size > 0 ? typecheckAsync(opts.projectRoot, present) : Promise.resolve(new Map<string, string[]>());
  const own = context.compiled ?? compileSubmission(present, selected);
  const compiled = new Map<string, string>();
  const prepared = selected.map((ex) => {
    const notes: string[] = [...submission.warnings.filter((w) => w.includes(ex.file))];
    const c = present.has(ex.file) ? own.get(ex.file) : undefined;
    if (c === undefined) return { ex, notes, problem: submission.unread?.get(ex.file) ?? `${ex.file} is missing from the submission (expected it in exercises/).` };
    if ('problem' in c) return { ex, notes, problem: c.problem };
    compiled.set(ex.file.replace(/\.ts$/, '.js'), c.js);
    return { ex, notes, problem: null as string | null };
  });
  const sandbox = writeSandboxDir(base, compiled, command.dropsUser, setup.tmpRoot, setup.sharedDir);
  // Exercises side by side run in as many lanes, each with one child for its exercises in turn.
  const lanePoison = poisonList(opts.projectRoot, [...new Set(prepared.filter((p) => p.problem === null).flatMap((p) => p.ex.forbiddenLib))]);
  const lanes: ChildLane[] = [];
  const idle: ChildLane[] = [];
  try {
    const results = await mapLimit(prepared, opts.concurrency, async ({ ex, notes, problem }): Promise<ExerciseResult> => {
      if (problem !== null) {
        notes.push(problem);
        const time = { ms: 0, budgetMs: exerciseBudgetMs(opts), wallMs: 0, stoppedBy: null };
        return { id: ex.id, file: ex.file, title: ex.title, tests: failAll(ex, opts, problem), notes, time };
      }
      const onResults = context.onResults;
      const run = { sandbox, readablePackages: setup.readablePackages, command, nodeModules: setup.nodeModules, poison: poisonList(opts.projectRoot, ex.forbiddenLib), codeCache: setup.codeCache, childSnapshot: setup.childSnapshot, onResults: onResults && ((t: FrozenTest, results: unknown) => onResults(ex, t, results)) };
      let lane = idle.pop();
      if (lane === undefined) lanes.push((lane = new ChildLane(lanePoison)));
      try {
        const { tests, time } = await runExercise(ex, ex.file.replace(/\.ts$/, '.js'), run, opts, notes, lane);
        return { id: ex.id, file: ex.file, title: ex.title, tests, notes, time };
      } finally {
        idle.push(lane);
      }
    });
    const typeErrors = await typecheck;
    for (const r of results) {
      const errs = [...(typeErrors.get(r.file) ?? []), ...(typeErrors.get('*') ?? [])];
      r.notes.unshift(...errs.map((e) => `Type error (feedback only, no points lost by itself): ${e}`));
    }
    const all = results.flatMap((r) => r.tests);
    const hiddenNotRun = opts.visibilities.includes('hidden') ? 0 : selected.reduce((a, e) => a + e.hiddenCount, 0);
    return {
      submission: label,
      exercises: results,
      score: all.reduce((a, t) => a + t.score, 0),
      maxScore: all.reduce((a, t) => a + t.maxScore, 0),
      hiddenNotRun,
      sandbox: command.isolation,
      ms: Date.now() - t0,
      inputs: { digest: submissionDigest(submission.files), secret: context.secret ?? null },
    };
  } finally {
    for (const lane of lanes) lane.close();
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
  }
}
