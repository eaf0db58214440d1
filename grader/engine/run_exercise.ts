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
 * One child that outlives an exercise: the exercises a lane grades one after another run in it,
 * each module loaded after the last, so a submission pays for one Node start per lane rather
 * than one per exercise. The child is started with the poison of every exercise the lane may
 * grade (a later message cannot change a child's poison: {@link SandboxProcess.load}), so no
 * exercise there can use an export any of them forbids. When what an exercise's code did there
 * cannot stand, {@link runExercise} grades the exercise again in children of its own.
 */
export class ChildLane {
  private idle: SandboxProcess | null = null;
  /** @param poison the union of the poison lists of the exercises this lane may grade */
  constructor(readonly poison: Array<[string, string]>) {}

  /** The lane's child if it is still running (it has run an earlier exercise), or null. */
  take(): SandboxProcess | null {
    const p = this.idle;
    this.idle = null;
    if (p !== null && !p.alive()) return null;
    return p;
  }

  /** Keeps `p` (started with this lane's poison) for the lane's next exercise. */
  give(p: SandboxProcess): void {
    this.idle?.kill();
    this.idle = p;
  }

  /** Kills the child the lane still holds. */
  close(): void {
    this.idle?.kill();
    this.idle = null;
  }
}

/**
 * Runs the tests of one exercise in sandboxed children, restarted after a test that hung or
 * crashed one, so only the tests it touched fail. The exercise has its own time budget
 * ({@link exerciseBudgetMs}) on the children's fair clock: a hang costs this exercise's
 * remaining tests and nothing else, whatever runs beside it.
 *
 * With a `lane`, the tests run in the lane's child (started here when the lane has none), which
 * goes back to the lane afterwards. Its verdicts stand unless something the student's code did
 * there could have come from what another exercise left in it: the module did not load, an
 * export is missing, the function threw, hung or crashed, or the budget ran out, while the child
 * had run another exercise before; or the child reported a call of an export only another
 * exercise forbids (at the load or in any call, passed or not). Then the lane keeps its child
 * (if it still runs), and the whole exercise runs again, from its first test and with its whole
 * budget, in children of its own, started for it with its own poison, which decide every
 * verdict. A returned value that scores wrong is never a reason: what sends an exercise back is
 * only what its code did, never how a result compared with the reference, so code that tells a
 * shared child from its own chooses which of its answers is graded, blind, and never gets the
 * better of two. An exercise runs again at most once.
 * @param notes receives messages about the exercise as a whole (load errors, arity)
 * @param lane the child the exercises of a submission share, or null: a child of its own
 */
export async function runExercise(ex: FrozenExercise, jsFile: string, run: ExerciseRun, opts: GradeOptions, notes: string[], lane: ChildLane | null = null): Promise<ExerciseRunResult> {
  const out: TestResult[] = [];
  const tests = ex.tests.filter((t) => opts.visibilities.includes(t.visibility));
  const budgetMs = exerciseBudgetMs(opts);
  const budget = budgetText(ex, budgetMs);
  const wall0 = Date.now();
  let used = 0;
  let proc: SandboxProcess | null = null;
  /** proc was started with the lane's poison (it may go back to the lane) */
  let laneChild = false;
  /** proc ran another exercise before this one */
  let hostedOther = false;
  /** a verdict was discarded: the exercise runs again in children of its own */
  let ownOnly = lane === null;
  let fatal: { text: string; stoppedBy: LimitName | null } | null = null;
  /** What the module proc loaded exports (each child's own: another exercise may have changed it in a shared one) */
  let exportsSeen: Record<string, number | string> = {};
  /** The notes about those exports, in `notes` from index exportNotesAt (replaced when another child loads the module) */
  let exportNotes: string[] = [];
  let exportNotesAt = -1;
  let importOutput = '';
  const own = new Set(ex.forbiddenLib);
  /** The poisoned exports proc reported called for this exercise: at its load, in earlier tests (state they left can fail a later one) */
  let blockedHere: string[] = [];
  /** Has proc, a lane child, called an export only another exercise forbids? Then nothing it says about this exercise stands. */
  const foreignBlocked = (blocked: string[]): boolean => {
    blockedHere.push(...blocked);
    return laneChild && blockedHere.some((n) => !own.has(n));
  };
  /**
   * Can something the student's code did in proc (a load that failed, a missing export, a throw,
   * a hang, a crash, a used-up budget) not stand (see above)? Only lane children are doubted,
   * and only until the exercise starts over. Never asked of a returned value that scored wrong.
   */
  const notFinal = (blocked: string[]): boolean => foreignBlocked(blocked) || (laneChild && hostedOther);
  /** Did the student's function throw in one of the calls (the child's own report)? */
  const threw = (results: unknown[]): boolean => results.some((r) => typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === false);
  /**
   * Drops every verdict so far (the lane keeps proc if it still runs): the exercise runs again
   * from its first test in children of its own, with its whole budget. Its passes in the shared
   * child go too: were they kept and the failure's retry added, code that answers one way in a
   * shared child and another in its own would score the better of the two.
   */
  /** Hands proc back to the lane if it is a lane child still running, else kills it. */
  const release = (p: SandboxProcess | null): void => {
    if (p !== null && laneChild && p.alive()) lane!.give(p);
    else p?.kill();
  };
  const startOver = (): void => {
    release(proc);
    proc = null;
    laneChild = false;
    ownOnly = true;
    out.length = 0;
    used = 0;
    fatal = null;
    importOutput = '';
  };
  try {
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i];
      let spent = 0; // this test's share of the fair clock, a start-up for it included
      if (fatal !== null) {
        out.push(result(ex, t, false, fatal.text, '', 0, fatal.stoppedBy));
        continue;
      }
      if (used >= budgetMs) {
        // Time charged in a doubtful lane child (another exercise's code may have burnt it).
        if (notFinal([])) {
          startOver();
          i = -1;
          continue;
        }
        out.push(result(ex, t, false, `Not run: ${budget} was used up by its earlier tests.`, '', 0, 'exercise budget'));
        continue;
      }
      if (proc === null) {
        const startLimit: LimitName = budgetMs - used < opts.startupMs ? 'exercise budget' : 'start-up';
        const limitMs = Math.min(opts.startupMs, budgetMs - used);
        const borrowed = ownOnly ? null : lane!.take();
        let s: StartOutcome;
        let p: SandboxProcess;
        if (borrowed !== null) {
          p = borrowed;
          laneChild = true;
          hostedOther = true;
          s = await p.load(jsFile, limitMs);
          if (s.kind === 'changed') {
            // An earlier exercise changed what this one would run on: a fresh lane child runs it.
            p.kill();
            p.takeOutput();
            i--;
            continue;
          }
        } else {
          p = new SandboxProcess(run.sandbox, run.readablePackages, run.command, { memoryMb: opts.memoryMb, outputBytes: opts.outputBytes }, run.nodeModules, run.codeCache, run.childSnapshot ?? null);
          laneChild = !ownOnly;
          hostedOther = false;
          s = await p.start(jsFile, laneChild ? lane!.poison : run.poison, limitMs);
        }
        proc = p;
        blockedHere = [];
        const printed = p.takeOutput();
        if (s.kind === 'crash' && borrowed === null && /^(unshare|setpriv|prlimit): /m.test(printed.text)) {
          // The OS wrapper failed before Node started: a grader problem, never the student's.
          p.kill();
          throw new Error(`the sandbox could not start (${printed.text.split('\n')[0].slice(0, 200)}); nothing was graded`);
        }
        if (s.kind !== 'ready' && notFinal('blocked' in s ? s.blocked : [])) {
          startOver();
          i = -1;
          continue;
        }
        used += s.clockMs;
        spent += s.clockMs;
        importOutput = printed.text + (printed.totalBytes > printed.text.length ? `\n... (${printed.totalBytes} bytes printed in all, truncated)` : '');
        if (s.kind !== 'ready') {
          const stoppedBy = s.kind === 'timeout' ? startLimit : null;
          fatal = { text: startProblem(s, startLimit, opts.startupMs, budget), stoppedBy };
          notes.push(fatal.text);
          out.push(result(ex, t, false, fatal.text, importOutput, spent, stoppedBy));
          p.kill();
          proc = null;
          continue;
        }
        if (foreignBlocked(s.blocked)) {
          startOver();
          i = -1;
          continue;
        }
        exportsSeen = s.exports;
        const seen: string[] = [];
        for (const fn of ex.functions) {
          const a = s.exports[fn];
          if (a === undefined) seen.push(`${ex.file} does not export ${fn}`);
          else if (typeof a === 'number' && a !== ex.arity[fn]) seen.push(`${fn} takes ${a} required parameter(s); the exercise's signature has ${ex.arity[fn]}: keep the signature from the exercise file`);
        }
        if (exportNotesAt < 0) exportNotesAt = notes.length;
        notes.splice(exportNotesAt, exportNotes.length, ...seen);
        exportNotes = seen;
      }
      if (exportsSeen[t.fn] === undefined) {
        if (notFinal([])) {
          startOver();
          i = -1;
          continue;
        }
        out.push(result(ex, t, false, `Your ${ex.file} does not export a function named ${t.fn}; keep the exported name from the exercise file.`, '', spent));
        continue;
      }
      const limitMs = t.timeoutMs ?? opts.testTimeoutMs;
      const limitName: LimitName = budgetMs - used < limitMs ? 'exercise budget' : 'test timeout';
      const o = await proc.call(t.fn, t.calls, Math.max(1, Math.min(limitMs, budgetMs - used)));
      if (o.kind !== 'ok' && notFinal([])) {
        startOver();
        i = -1;
        continue;
      }
      const printed = proc.takeOutput();
      const withOutput = (): string => {
        let output = importOutput + printed.text;
        importOutput = '';
        if (printed.totalBytes > printed.text.length) output += `\n... (${printed.totalBytes} bytes printed in all, truncated)`;
        return output;
      };
      if (o.kind === 'ok') {
        let v;
        try {
          v = scoreTest(t, o.results);
        } catch (e) {
          // Untrusted data that breaks the checker fails the test; it never takes the grader down.
          v = { passed: false, feedback: `Your function's result could not be checked (${(e as Error).message.slice(0, 200)}).`, knownMistake: null };
        }
        if (foreignBlocked(o.blocked) || (!v.passed && threw(o.results) && notFinal([]))) {
          startOver();
          i = -1;
          continue;
        }
        used += o.clockMs;
        spent += o.clockMs;
        run.onResults?.(t, o.results);
        out.push(result(ex, t, v.passed, v.feedback, withOutput(), spent, null, v.knownMistake));
      } else {
        used += o.clockMs;
        spent += o.clockMs;
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
        out.push(result(ex, t, false, why, withOutput(), spent, stoppedBy));
        proc.kill();
        proc = null;
      }
    }
  } finally {
    release(proc);
  }
  const stoppedBy = out.filter((r) => r.stoppedBy !== null).pop()?.stoppedBy ?? null;
  return { tests: out, time: { ms: Math.round(used), budgetMs, wallMs: Date.now() - wall0, stoppedBy } };
}
