import { SandboxCommand } from '../sandbox/sandbox_command';
import { SandboxProcess, StartOutcome } from '../sandbox/sandbox_process';
import type { FrozenExercise, FrozenTest } from './freeze_exercise';
import type { GradeOptions } from './grade_options';
import type { TestResult } from './result_types';
import { scoreTest } from './score_test';

/** Where the compiled submission lives and how to start a child on it. */
export interface ExerciseRun {
  sandboxDir: string;
  readablePackages: string[];
  command: SandboxCommand;
  nodeModules: string;
  poison: Array<[string, string]>;
  /** Absolute time (Date.now()) when the whole submission must stop. */
  deadline: number;
}

function result(ex: FrozenExercise, t: FrozenTest, passed: boolean, feedback: string, output: string, ms: number, knownMistake: string | null = null): TestResult {
  return { exercise: ex.id, name: t.name, visibility: t.visibility, score: passed ? t.points : 0, maxScore: t.points, status: passed ? 'passed' : 'failed', feedback, output, knownMistake, ms };
}

function startProblem(s: StartOutcome, startupMs: number): string {
  switch (s.kind) {
    case 'loadError':
      return `Your module threw while being imported: ${s.message.slice(0, 600)}`;
    case 'timeout':
      return `Your module did not finish importing within ${startupMs / 1000} s (top-level infinite loop or heavy work at import?)`;
    case 'crash':
      return `The test process ended while importing your module (${s.reason}); do not call process.exit and keep top-level code small`;
    default:
      return '';
  }
}

function crashText(reason: string, memoryMb: number, printed: string): string {
  if (/heap out of memory|Reached heap limit/.test(printed) || /SIGABRT|SIGSEGV|SIGTRAP|code 13[349]/.test(reason)) return `The test process crashed (${reason}): most likely it ran out of memory (limit ${memoryMb} MB)`;
  return `The test process ended during this test (${reason}); your code must not exit the process`;
}

/**
 * Runs the tests of one exercise in sandboxed children: one child for the exercise, restarted
 * after a test that hung or crashed it, so only the tests it touched fail.
 * @param notes receives messages about the exercise as a whole (load errors, arity)
 */
export async function runExercise(ex: FrozenExercise, jsFile: string, run: ExerciseRun, opts: GradeOptions, notes: string[]): Promise<TestResult[]> {
  const out: TestResult[] = [];
  const tests = ex.tests.filter((t) => opts.visibilities.includes(t.visibility));
  let proc: SandboxProcess | null = null;
  let fatal: string | null = null;
  let exportsSeen: Record<string, number | string> = {};
  let importOutput = '';
  try {
    for (const t of tests) {
      const t0 = Date.now();
      if (fatal !== null) {
        out.push(result(ex, t, false, fatal, '', 0));
        continue;
      }
      if (Date.now() >= run.deadline) {
        out.push(result(ex, t, false, `Not run: the submission's time limit (${opts.submissionTimeoutMs / 1000} s) was used up by earlier tests.`, '', 0));
        continue;
      }
      if (proc === null) {
        proc = new SandboxProcess(run.sandboxDir, run.readablePackages, run.command, { memoryMb: opts.memoryMb, startupMs: opts.startupMs, outputBytes: opts.outputBytes }, run.nodeModules);
        const s = await proc.start(jsFile, run.poison);
        const printed = proc.takeOutput();
        importOutput = printed.text + (printed.totalBytes > printed.text.length ? `\n... (${printed.totalBytes} bytes printed in all, truncated)` : '');
        if (s.kind === 'crash' && /^(unshare|setpriv|prlimit): /m.test(printed.text)) {
          // The OS wrapper failed before Node started: a grader problem, never the student's.
          proc.kill();
          throw new Error(`the sandbox could not start (${printed.text.split('\n')[0].slice(0, 200)}); nothing was graded`);
        }
        if (s.kind !== 'ready') {
          fatal = startProblem(s, opts.startupMs);
          notes.push(fatal);
          out.push(result(ex, t, false, fatal, importOutput, Date.now() - t0));
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
        out.push(result(ex, t, false, `Your ${ex.file} does not export a function named ${t.fn}; keep the exported name from the exercise file.`, '', Date.now() - t0));
        continue;
      }
      const limit = Math.min(t.timeoutMs ?? opts.testTimeoutMs, Math.max(1, run.deadline - Date.now()));
      const o = await proc.call(t.fn, t.calls, limit);
      const printed = proc.takeOutput();
      let output = importOutput + printed.text;
      importOutput = '';
      if (printed.totalBytes > printed.text.length) output += `\n... (${printed.totalBytes} bytes printed in all, truncated)`;
      if (o.kind === 'ok') {
        let v;
        try {
          v = scoreTest(t, o.results);
        } catch (e) {
          // Untrusted data that breaks the checker fails the test; it never takes the grader down.
          v = { passed: false, feedback: `Your function's result could not be checked (${(e as Error).message.slice(0, 200)}).`, knownMistake: null };
        }
        out.push(result(ex, t, v.passed, v.feedback, output, Date.now() - t0, v.knownMistake));
      } else {
        const why = o.kind === 'timeout' ? `Your function did not return within ${o.ms / 1000} s (infinite loop, or a very slow loop?); the test process was stopped.` : crashText(o.reason, opts.memoryMb, printed.text);
        out.push(result(ex, t, false, why, output, Date.now() - t0));
        proc.kill();
        proc = null;
      }
    }
  } finally {
    proc?.kill();
  }
  return out;
}
