// clab-grade replay: one test of one submission run again on the inputs its grade used, shown in full.
import { flag, verb } from '../command_line/flags';
import { comparePlain, describeUntrusted } from '../engine/compare_plain';
import { exerciseFileNames } from '../engine/exercise_file_names';
import type { FrozenExercise, FrozenTest, SeedOf } from '../engine/freeze_exercise';
import { freshSeeds, submissionDigest } from '../engine/fresh_seeds';
import { GRADE_DEFAULTS } from '../engine/grade_options';
import { DEFAULT_SECRET_FILE, findSecret, SECRET_ENV } from '../engine/instructor_secret';
import { PROJECT_ROOT } from '../engine/project_root';
import { precheckSubmission, statSubmission } from '../engine/read_submission';
import { EXIT, UsageError } from '../exit_codes';
import { isPlainTensor, wireNumber } from '../plain_value';
import { safeText } from '../report/terminal_table';
import type { GradedTest } from '../specs/spec_types';

/** Numbers shown per value: enough for every course test's tensors, bounded for an untrusted answer. */
const MAX_NUMBERS = 4096;

/**
 * Parses a seed as the reports print it: a whole number 0 <= N < 2^32.
 * @throws Error saying what is expected (the CLI adds the flag and the value)
 */
export function parseSeed(raw: string): number {
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n >= 2 ** 32) throw new Error('must be a whole number from 0 to 4294967295, as the reports print a seed');
  return n;
}

/** `clab-grade replay <dir|zip> <exercise> <test>`: its arguments and flags. */
export const REPLAY_VERB = verb({
  name: 'replay',
  summary: "run one test of a submission again on its grade's inputs, shown in full",
  description: [
    'Runs one test of one submission again, in the sandbox, on the inputs its grade used, and',
    'prints every input, the expected and the received value of each call, and the verdict.',
    'The seed is the one the reports recorded (--seed N), or it is derived again from the',
    `instructor secret the grade used (--secret FILE, $${SECRET_ENV} or ${DEFAULT_SECRET_FILE}) and the submission.`,
  ].join('\n'),
  positionals: [
    { name: '<dir|zip>', help: 'the submission, as graded', required: true },
    { name: '<exercise>', help: 'the exercise id, e.g. ex04', required: true },
    { name: '<test>', help: "the test: its name, a part of it that no other test of the exercise has, or its number in the exercise's list (from 1)", required: true },
  ],
  flags: {
    seed: flag.custom('N', "the test's seed, as a report recorded it (results.json, junit.xml, summary.md, --json, the feedback's \"input seed N\")", parseSeed),
    secret: flag.string('FILE', `the instructor secret the grade used, when no --seed is given (default: $${SECRET_ENV}, else ${DEFAULT_SECRET_FILE} in the course repository)`),
    'timeout-ms': flag.int('MS', "time limit of the test (on the sandbox's fair clock)", GRADE_DEFAULTS.testTimeoutMs),
    'memory-mb': flag.int('MB', 'V8 heap cap of the sandboxed child', GRADE_DEFAULTS.memoryMb),
  },
  run: async ({ positionals: [submission, exerciseId, testArg], flags }, { observe }) => {
    const stats = statSubmission(submission);
    precheckSubmission(submission, exerciseFileNames(PROJECT_ROOT), stats);
    const secret = flags.seed === undefined ? findSecret(flags.secret, PROJECT_ROOT) : null;
    if (secret !== null && secret.secret === null) {
      throw new UsageError(`replay: no seed and no instructor secret (looked at ${secret.looked.join(', ')}); give --seed N from the submission's report, or the secret it was graded with (--secret FILE)`);
    }
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    /* eslint-disable @typescript-eslint/no-var-requires */
    const { SPECS } = require('../specs') as typeof import('../specs');
    const { openGradingSession } = require('../grading_session') as typeof import('../grading_session');
    const { gradeSubmission } = require('../engine/grade_submission') as typeof import('../engine/grade_submission');
    /* eslint-enable @typescript-eslint/no-var-requires */
    const spec = SPECS.find((s) => s.id === exerciseId);
    if (spec === undefined) {
      const ids = SPECS.map((s) => s.id);
      throw new UsageError(`replay: ${JSON.stringify(exerciseId)} is not an exercise here; ${ids.length > 0 ? `valid ids: ${ids.join(', ')}` : 'replay runs in the course repository (solutions/ and grader/specs/), not in a student release'}`);
    }
    const [test, index] = findTest(spec.tests, testArg, exerciseId);
    const options = { only: [exerciseId], testTimeoutMs: flags['timeout-ms'], memoryMb: flags['memory-mb'], typecheck: false };
    const session = await openGradingSession({ verb: 'replay', options, observe });
    const sub = session.read(submission, stats);
    const seedOf: SeedOf = secret?.secret ? freshSeeds(secret.secret.bytes, sub.files) : (id, t) => (id === exerciseId && t.name === test.name ? (flags.seed as number) : t.seed);
    const frozen = session.exercises.freeze(seedOf).find((e) => e.id === exerciseId) as FrozenExercise;
    const one = frozen.tests.find((t) => t.name === test.name) as FrozenTest;
    let received: unknown = null;
    const r = await gradeSubmission(sub, [{ ...frozen, tests: [one] }], submission, session.options, session.sandbox, {
      secret: secret?.secret?.fingerprint ?? null,
      onResults: (_e, _t, results) => (received = results),
    });
    const result = r.exercises[0].tests[0];
    const from = secret?.secret ? `derived from the instructor secret ${secret.secret.fingerprint} (${secret.secret.source}) and the submission: the seed its grade used` : 'given with --seed';
    const out = [
      `replay: ${exerciseId} test ${index + 1} of ${spec.tests.length} (${test.visibility}): ${test.name}`,
      `submission: ${submission} (digest ${submissionDigest(sub.files)})`,
      `seed: ${one.seed}, ${from}`,
      ...callLines(one, received),
      '',
      `result: ${result.status === 'passed' ? 'PASS' : 'FAIL'} ${result.score}/${result.maxScore}`,
      'feedback:',
      ...safeText(result.feedback).split('\n').map((l) => `  | ${l}`),
      ...r.exercises[0].notes.map((n) => `note: ${safeText(n)}`),
    ];
    if (result.output) out.push(`your code printed: ${safeText(result.output).slice(0, 2000)}`);
    process.stdout.write(out.join('\n') + '\n');
    return result.status === 'passed' ? EXIT.ok : EXIT.notFullScore;
  },
});

/**
 * The test `arg` names: its exact name, its number in the list (from 1), or a part of its name
 * (case ignored) that no other test has.
 * @returns the test and its index
 * @throws UsageError listing the tests when none or several match
 */
export function findTest(tests: GradedTest[], arg: string, exerciseId: string): [GradedTest, number] {
  const exact = tests.findIndex((t) => t.name === arg);
  if (exact >= 0) return [tests[exact], exact];
  if (/^\d+$/.test(arg) && Number(arg) >= 1 && Number(arg) <= tests.length) return [tests[Number(arg) - 1], Number(arg) - 1];
  const hits = tests.map((t, i) => [t, i] as [GradedTest, number]).filter(([t]) => t.name.toLowerCase().includes(arg.toLowerCase()));
  if (hits.length === 1) return hits[0];
  const list = tests.map((t, i) => `  ${i + 1}. ${t.name}${t.visibility === 'hidden' ? ' (hidden)' : ''}`).join('\n');
  const why = hits.length === 0 ? `no test of ${exerciseId} is named or numbered ${JSON.stringify(arg)}` : `${hits.length} tests of ${exerciseId} match ${JSON.stringify(arg)}`;
  throw new UsageError(`replay: ${why}; give the name, a part only one name has, or the number:\n${list}`);
}

/** A value in full (every number of a tensor, up to {@link MAX_NUMBERS}), one line, untrusted input made safe. */
export function fullValue(v: unknown, depth = 0): string {
  if (depth > 6) return '...';
  if (typeof v === 'object' && v !== null && (v as { __undefined?: unknown }).__undefined === true) return 'undefined';
  if (isPlainTensor(v)) {
    if (!Array.isArray(v.data) || !Array.isArray(v.shape)) return describeUntrusted(v);
    const nums = v.data.slice(0, MAX_NUMBERS).map((x) => number(wireNumber(x as number | string)));
    const more = v.data.length > MAX_NUMBERS ? `, ... (${v.data.length} values)` : '';
    return `tensor [${v.shape.join(',')}] ${v.shape.length === 0 ? nums[0] : `[${nums.join(', ')}${more}]`}`;
  }
  if (typeof v === 'number') return number(v);
  if (Array.isArray(v)) return `[${v.slice(0, MAX_NUMBERS).map((x) => fullValue(x, depth + 1)).join(', ')}${v.length > MAX_NUMBERS ? ', ...' : ''}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).slice(0, 64).map((k) => `${safeText(k.slice(0, 60))}: ${fullValue((v as Record<string, unknown>)[k], depth + 1)}`).join(', ')}}`;
  return safeText(describeUntrusted(v));
}

function number(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

/** Every call of the test: its arguments, the expected value, what the submission returned, and whether they match. */
function callLines(test: FrozenTest, received: unknown): string[] {
  const results = Array.isArray(received) ? received : [];
  const lines: string[] = [];
  test.calls.forEach((args, i) => {
    lines.push('', `call ${i + 1} of ${test.calls.length}: ${test.fn}(`);
    args.forEach((a, k) => lines.push(`  argument ${k + 1}: ${fullValue(a)}`));
    lines.push(')');
    const expected = test.expected?.[i];
    if (expected !== undefined) lines.push(`  expected: ${fullValue(expected)}`);
    const r = results[i] as { ok?: unknown; value?: unknown; error?: unknown } | undefined;
    if (r === undefined || typeof r !== 'object' || r === null) lines.push('  received: nothing (the test did not run this call: see the feedback)');
    else if (r.ok !== true) lines.push(`  received: it threw: ${safeText(typeof r.error === 'string' ? r.error.slice(0, 600) : 'an error it could not describe')}`);
    else {
      lines.push(`  received: ${fullValue(r.value)}`);
      if (expected !== undefined) {
        const diff = comparePlain(r.value, expected, test.tolerance);
        lines.push(`  verdict: ${diff === null ? 'matches' : `differs: ${safeText(diff)}`} (tolerance rtol ${test.tolerance.rtol}, atol ${test.tolerance.atol})`);
      }
    }
  });
  return lines;
}

