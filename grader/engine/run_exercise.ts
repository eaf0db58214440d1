import { SandboxCommand } from '../sandbox/sandbox_command';
import type { SandboxDir } from '../sandbox/sandbox_files';
import { SandboxProcess, StartOutcome } from '../sandbox/sandbox_process';
import type { FrozenExercise, FrozenTest } from './freeze_exercise';
import { exerciseBudgetMs, type GradeOptions } from './grade_options';
import type { ExerciseTime, LimitName, TestResult } from './result_types';
import { scoreTest } from './score_test';

/** Where the compiled submission lives and how to start a child on it. */
export interface ExerciseRun {
  /** The submission's sandbox folder (writeSandboxDir). */
  sandbox: SandboxDir;
  readablePackages: string[];
  command: SandboxCommand;
  nodeModules: string;
  poison: Array<[string, string]>;
  /** The children's code cache (SandboxSetup.codeCache). */
  codeCache: string | null;
  /** The children's startup snapshot (SandboxSetup.childSnapshot); absent or null: none. */
  childSnapshot?: string | null;
  /** Told of each test's results as the child sent them, before they are scored (replay shows them). */
  onResults?: (test: FrozenTest, results: unknown) => void;
}

/** What one exercise's run produced: its tests' results and how long it took. */
export interface ExerciseRunResult {
  tests: TestResult[];
  time: ExerciseTime;
}

function result(ex: FrozenExercise, t: FrozenTest, passed: boolean, feedback: string, output: string, ms: number, stoppedBy: LimitName | null = null, knownMistake: string | null = null): TestResult {
  return { exercise: ex.id, name: t.name, visibility: t.visibility, score: passed ? t.points : 0, maxScore: t.points, status: passed ? 'passed' : 'failed', feedback, output, knownMistake, ms, stoppedBy, seed: t.seed };
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

function budgetText(ex: FrozenExercise, budgetMs: number): string {
  return `${ex.id}'s time budget (${seconds(budgetMs)} for all its tests and restarts)`;
}

function startProblem(s: StartOutcome, limit: LimitName, ms: number, budget: string): string {
  switch (s.kind) {
    case 'loadError':
      return `Your module threw while being imported: ${s.message.slice(0, 600)}`;
    case 'timeout':
      return limit === 'exercise budget'
        ? `Your module did not finish importing before ${budget} ran out`
        : `Your module did not finish importing within ${seconds(ms)} (top-level infinite loop or heavy work at import?)`;
    case 'crash':
      return `The test process ended while importing your module (${s.reason}); do not call process.exit and keep top-level code small`;
    default:
      return '';
  }
}

function isOutOfMemory(reason: string, printed: string): boolean {
  return /heap out of memory|Reached heap limit/.test(printed) || /SIGABRT|SIGSEGV|SIGTRAP|code 13[349]/.test(reason);
}

function crashText(reason: string, memoryMb: number, printed: string): string {
  if (isOutOfMemory(reason, printed)) return `The test process crashed (${reason}): most likely it ran out of memory (limit ${memoryMb} MB)`;
  return `The test process ended during this test (${reason}); your code must not exit the process`;
}

/**
 * Runs the tests of one exercise in sandboxed children: one child for the exercise, restarted
 * after a test that hung or crashed it, so only the tests it touched fail. The exercise has its
 * own time budget ({@link exerciseBudgetMs}) on the children's fair clock: a hang costs this
 * exercise's remaining tests and nothing else, whatever runs beside it.
 * @param notes receives messages about the exercise as a whole (load errors, arity)
 */
export async function runExercise(ex: FrozenExercise, jsFile: string, run: ExerciseRun, opts: GradeOptions, notes: string[]): Promise<ExerciseRunResult> {
  const out: TestResult[] = [];
  const tests = ex.tests.filter((t) => opts.visibilities.includes(t.visibility));
  const budgetMs = exerciseBudgetMs(opts);
  const budget = budgetText(ex, budgetMs);
  const wall0 = Date.now();
  let used = 0;
  let proc: SandboxProcess | null = null;
  let fatal: { text: string; stoppedBy: LimitName | null } | null = null;
  let exportsSeen: Record<string, number | string> = {};
  let importOutput = '';
  try {
    for (const t of tests) {
      let spent = 0; // this test's share of the fair clock, a start-up for it included
      if (fatal !== null) {
        out.push(result(ex, t, false, fatal.text, '', 0, fatal.stoppedBy));
        continue;
      }
      if (used >= budgetMs) {
        out.push(result(ex, t, false, `Not run: ${budget} was used up by its earlier tests.`, '', 0, 'exercise budget'));
        continue;
      }
      if (proc === null) {
        proc = new SandboxProcess(run.sandbox, run.readablePackages, run.command, { memoryMb: opts.memoryMb, outputBytes: opts.outputBytes }, run.nodeModules, run.codeCache, run.childSnapshot ?? null);
        const startLimit: LimitName = budgetMs - used < opts.startupMs ? 'exercise budget' : 'start-up';
        const s = await proc.start(jsFile, run.poison, Math.min(opts.startupMs, budgetMs - used));
        used += s.clockMs;
        spent += s.clockMs;
        const printed = proc.takeOutput();
        importOutput = printed.text + (printed.totalBytes > printed.text.length ? `\n... (${printed.totalBytes} bytes printed in all, truncated)` : '');
        if (s.kind === 'crash' && /^(unshare|setpriv|prlimit): /m.test(printed.text)) {
          // The OS wrapper failed before Node started: a grader problem, never the student's.
          proc.kill();
          throw new Error(`the sandbox could not start (${printed.text.split('\n')[0].slice(0, 200)}); nothing was graded`);
        }
        if (s.kind !== 'ready') {
          const stoppedBy = s.kind === 'timeout' ? startLimit : null;
          fatal = { text: startProblem(s, startLimit, opts.startupMs, budget), stoppedBy };
          notes.push(fatal.text);
          out.push(result(ex, t, false, fatal.text, importOutput, spent, stoppedBy));
          proc.kill();
          proc = null;
          continue;
        }
        if (Object.keys(exportsSeen).length === 0) {
          exportsSeen = s.exports;
          for (const fn of ex.functions) {
            const a = s.exports[fn];
            if (a === undefined) notes.push(`${ex.file} does not export ${fn}`);
            else if (typeof a === 'number' && a !== ex.arity[fn]) notes.push(`${fn} takes ${a} required parameter(s); the exercise's signature has ${ex.arity[fn]}: keep the signature from the exercise file`);
          }
        }
      }
      if (exportsSeen[t.fn] === undefined) {
        out.push(result(ex, t, false, `Your ${ex.file} does not export a function named ${t.fn}; keep the exported name from the exercise file.`, '', spent));
        continue;
      }
      const own = t.timeoutMs ?? opts.testTimeoutMs;
      const limitName: LimitName = budgetMs - used < own ? 'exercise budget' : 'test timeout';
      const o = await proc.call(t.fn, t.calls, Math.max(1, Math.min(own, budgetMs - used)));
      used += o.clockMs;
      spent += o.clockMs;
      const printed = proc.takeOutput();
      let output = importOutput + printed.text;
      importOutput = '';
      if (printed.totalBytes > printed.text.length) output += `\n... (${printed.totalBytes} bytes printed in all, truncated)`;
      if (o.kind === 'ok') {
        run.onResults?.(t, o.results);
        let v;
        try {
          v = scoreTest(t, o.results);
        } catch (e) {
          // Untrusted data that breaks the checker fails the test; it never takes the grader down.
          v = { passed: false, feedback: `Your function's result could not be checked (${(e as Error).message.slice(0, 200)}).`, knownMistake: null };
        }
        out.push(result(ex, t, v.passed, v.feedback, output, spent, null, v.knownMistake));
      } else {
        let why: string;
        let stoppedBy: LimitName | null = null;
        if (o.kind === 'timeout' && limitName === 'exercise budget') {
          why = `Your function was stopped when ${budget} ran out (infinite loop, or a very slow loop?).`;
          stoppedBy = limitName;
        } else if (o.kind === 'timeout') {
          why = `Your function did not return within ${o.ms / 1000} s (infinite loop, or a very slow loop?); the test process was stopped.`;
          stoppedBy = limitName;
        } else {
          why = crashText(o.reason, opts.memoryMb, printed.text);
          if (isOutOfMemory(o.reason, printed.text)) stoppedBy = 'memory';
        }
        out.push(result(ex, t, false, why, output, spent, stoppedBy));
        proc.kill();
        proc = null;
      }
    }
  } finally {
    proc?.kill();
  }
  const stoppedBy = out.filter((r) => r.stoppedBy !== null).pop()?.stoppedBy ?? null;
  return { tests: out, time: { ms: Math.round(used), budgetMs, wallMs: Date.now() - wall0, stoppedBy } };
}
