import assert from 'node:assert/strict';
import { UsageError } from '../exit_codes';
import { flag, parseVerbArgs, verb } from './flags';

const run = async (): Promise<number> => 0;
const DEMO = verb({
  name: 'demo',
  summary: 'a verb for the tests',
  description: 'A verb for the tests.',
  positionals: [{ name: '<dir>', help: 'a folder', required: true }],
  flags: {
    out: flag.string('DIR', 'output folder', 'results'),
    jobs: flag.int('N', 'at once', 2),
    ratio: flag.number('R', 'a ratio'),
    only: flag.list('a,b', 'only these'),
    force: flag.boolean('redo'),
    shard: flag.custom('K/N', 'a part', (raw) => { if (!/^\d+\/\d+$/.test(raw)) throw new Error('must look like K/N'); return raw; }),
  },
  run,
});
const OTHER = verb({ ...DEMO, name: 'other', flags: { 'exit-zero': flag.boolean('x') }, run });

const usage = (argv: string[]): string => {
  try {
    parseVerbArgs(DEMO, argv, [DEMO, OTHER]);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e.message;
  }
  assert.fail(`no UsageError for ${argv.join(' ')}`);
};

describe('parseVerbArgs(verb, argv) parses one verb strictly against its declared flags', () => {
  it('parseVerbArgs fills every declared flag with its default and converts numbers and lists', () => {
    const a = parseVerbArgs(DEMO, ['x', '--jobs', '3', '--only', 'ex01, ex04', '--ratio=0.5']);
    assert.deepEqual(a.positionals, ['x']);
    assert.deepEqual(a.flags, { out: 'results', jobs: 3, ratio: 0.5, only: ['ex01', 'ex04'], force: false, shard: undefined });
    assert.equal(a.help, false);
  });

  it('a flag of another verb is a UsageError naming the verb that has it and listing this verb\'s flags', () => {
    assert.equal(
      usage(['x', '--exit-zero']),
      'demo: unknown flag --exit-zero (it is a flag of other); the flags of demo are: --out DIR, --jobs N, --ratio R, --only a,b, --force, --shard K/N, --help',
    );
    assert.match(usage(['x', '--nope']), /^demo: unknown flag --nope; the flags of demo are: --out DIR/);
  });

  it('bad numbers name the flag and the value: zero, negative, text, a fraction where a whole number is needed, empty', () => {
    assert.equal(usage(['x', '--jobs', '0']), 'demo: --jobs must be a positive whole number (N), got "0"');
    assert.equal(usage(['x', '--jobs=-2']), 'demo: --jobs must be a positive whole number (N), got "-2"');
    assert.equal(usage(['x', '--jobs', 'many']), 'demo: --jobs must be a positive whole number (N), got "many"');
    assert.equal(usage(['x', '--jobs', '1.5']), 'demo: --jobs must be a positive whole number (N), got "1.5"');
    assert.equal(usage(['x', '--ratio', '']), 'demo: --ratio must be a positive number (R), got ""');
    assert.equal(usage(['x', '--only', ' , ']), 'demo: --only needs a comma-separated list (a,b), got " , "');
    assert.equal(usage(['x', '--shard', '2-of-4']), 'demo: --shard must look like K/N, got "2-of-4"');
  });

  it('a missing value, a value given to a boolean, a missing or an extra positional are UsageErrors saying what is expected', () => {
    assert.equal(usage(['x', '--out']), 'demo: --out DIR needs a value (output folder)');
    assert.equal(usage(['x', '--force=yes']), 'demo: --force takes no value; write --force alone');
    assert.equal(usage([]), 'demo: missing <dir> (a folder); usage: clab-grade demo <dir>');
    assert.equal(usage(['x', 'y']), 'demo: unexpected argument "y"; usage: clab-grade demo <dir>');
  });

  it('--help and -h win over everything else, even a missing positional', () => {
    assert.equal(parseVerbArgs(DEMO, ['--help']).help, true);
    assert.equal(parseVerbArgs(DEMO, ['-h', '--jobs', '4']).help, true);
  });
});
