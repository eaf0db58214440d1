import assert from 'node:assert/strict';
import { GraderError, SubmissionError, UsageError } from '../exit_codes';
import { flag, verb } from './flags';
import { runCommandLine } from './run_command_line';

/** A verb whose run throws what its --throw flag names. */
const THROWER = verb({
  name: 'thrower',
  summary: 'throws',
  description: 'Throws.',
  positionals: [],
  flags: { throw: flag.string('KIND', 'what to throw'), json: flag.boolean('json') },
  run: async ({ flags }) => {
    const kind = flags.throw;
    if (kind === 'usage') throw new UsageError('thrower: bad usage');
    if (kind === 'submission') throw new SubmissionError('/x does not exist; give a submission folder or .zip');
    if (kind === 'grader') throw new GraderError('the sandbox failed its canary, so nothing was graded');
    if (kind === 'bug') throw new TypeError('undefined is not a function');
    return 0;
  },
});

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await runCommandLine([THROWER], argv), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('runCommandLine(verbs, argv) maps what a verb throws to one exit code', () => {
  it('UsageError -> 2, SubmissionError -> 3, GraderError -> 4, each one line on stderr without a stack trace', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['usage', 2, /^clab-grade thrower: bad usage\n\(clab-grade thrower --help lists its arguments and flags\)\n$/],
      ['submission', 3, /^clab-grade thrower: \/x does not exist; give a submission folder or .zip\n$/],
      ['grader', 4, /^clab-grade thrower: the sandbox failed its canary, so nothing was graded\n$/],
    ];
    for (const [kind, code, err] of cases) {
      const r = await capture(['thrower', '--throw', kind]);
      assert.equal(r.code, code, kind);
      assert.match(r.err, err);
      assert.equal(r.out, '');
    }
  });

  it('any other error is exit 4 "internal error" with its stack, so it can be reported', async () => {
    const r = await capture(['thrower', '--throw', 'bug']);
    assert.equal(r.code, 4);
    assert.match(r.err, /^clab-grade thrower: internal error: TypeError: undefined is not a function\n\s+at /);
  });

  it('with --json, a failure after the flags parsed (2, 3, 4) prints one clab-grade/error@1 document on stdout; a flag that does not parse prints nothing there', async () => {
    for (const [kind, code] of [['usage', 2], ['submission', 3], ['grader', 4]] as const) {
      const r = await capture(['thrower', '--throw', kind, '--json']);
      const doc = JSON.parse(r.out);
      assert.deepEqual(Object.keys(doc), ['format', 'verb', 'exitCode', 'error']);
      assert.equal(doc.format, 'clab-grade/error@1');
      assert.equal(doc.exitCode, code);
    }
    const unparsed = await capture(['thrower', '--json', '--nope']);
    assert.equal(unparsed.code, 2);
    assert.equal(unparsed.out, '');
  });

  it('no verb is exit 2 with the verb list on stderr; --help is exit 0 with it on stdout; a flag before the verb is exit 2', async () => {
    const none = await capture([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /verbs:\n {2}thrower/);
    const help = await capture(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /verbs:\n {2}thrower/);
    const early = await capture(['--json', 'thrower']);
    assert.equal(early.code, 2);
    assert.match(early.err, /expected a verb before flags, got "--json"; valid verbs are thrower/);
  });
});
