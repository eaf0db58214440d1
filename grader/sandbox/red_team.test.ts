import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { GradeOptions, GradeResult, PROJECT_ROOT, readSubmission } from '../engine';
import { markdownSummary, terminalTable } from '../report';
import { sandboxCommand } from './sandbox_command';
import { gradeFixture, inParallel, points, TEST_LIMITS, textOf } from '../fixtures/grade_fixture';
import { OutsideRun, runOutsideSandbox } from '../fixtures/run_outside_sandbox';

// Every attack targets ex04 (ntXentLoss); its ex04 score must be 0, and every run must end
// within its limits. The table printed at the end is the red-team report.
interface Attack {
  dir: string;
  what: string;
  /** Extra assertion on the result. */
  check?: (r: GradeResult) => void;
  /** Grade options beyond TEST_LIMITS. */
  options?: Partial<GradeOptions>;
}

/**
 * The string-to-code family: per attack (each compiles the library's NT-Xent afresh, which the
 * exercise forbids and the child replaces with a stub once loaded), the doors it tries, each
 * printed as `<door>: OPEN` or `<door>: closed (...)`. Every door must be closed in the sandbox;
 * outside it (plain Node) every door marked true must open and give the right answer, so that
 * a 0 here is the seal's doing and not a broken attack.
 */
const CODE_FROM_STRINGS: Record<string, Record<string, boolean>> = {
  'code-eval': { eval: true, 'indirect eval': true, 'globalThis.eval': true },
  'code-function': {
    Function: true, 'new Function': true, 'Reflect.construct(Function)': true, '(function () {}).constructor': true,
    AsyncFunction: true, GeneratorFunction: true, AsyncGeneratorFunction: true,
  },
  'code-vm': { 'vm.runInThisContext': true, 'vm.Script': true, 'vm.compileFunction': true, 'vm.runInNewContext': true, 'vm.runInContext': true },
  'code-module-system': {
    'module.constructor._compile': true, "require('module')._compile": true, 'process.mainModule.constructor._compile': true,
    'require.cache emptied': true, 'process.mainModule.require': true, createRequire: true, 'Module._load': true, 'require.extensions': true,
    // Node's CommonJS loader takes no URLs, sandbox or not; import() becomes require() in the compiled submission.
    'require(data: URL)': false, 'require(file: URL)': false, 'import(data: URL)': false,
  },
  'code-node-services': {
    'inspector Runtime.evaluate': true, 'process.binding contextify': true, 'v8.setFlagsFromString, then eval': true, 'worker_threads eval': true, repl: true,
  },
  'code-wasm': { 'WebAssembly.Module': true, 'WebAssembly.instantiate': true },
  // Outside, nothing replaces the library's export and no other exercise file is there: only
  // the first door has something to show.
  'code-patched-loader': {
    'fs.readFileSync replaced, then a library file loaded': true,
    'fs.readFileSync replaced, then another exercise file loaded': false,
    'Set.prototype.has and String.prototype.startsWith replaced, then a library file required': false,
  },
};

const doorsClosed = (dir: string) => (r: GradeResult): void => {
  const t = textOf(r, 'ex04');
  assert.doesNotMatch(t, /: OPEN$/m);
  for (const door of Object.keys(CODE_FROM_STRINGS[dir])) assert.ok(t.includes(`${door}: closed (`), `${door} not reported closed in:\n${t}`);
};

/** The limits that stopped ex04's tests, each once. */
const stops = (r: GradeResult): Array<string | null> => [...new Set(r.exercises.find((e) => e.id === 'ex04')!.tests.map((t) => t.stoppedBy))];

const noSecretRead = (r: GradeResult): void => {
  const t = textOf(r, 'ex04');
  assert.doesNotMatch(t, /\b(READ|REQUIRED|BINDING|WROTE|ALLOWED)\b/);
};

const ATTACKS: Attack[] = [
  {
    dir: 'fake-results', what: 'prints/throws fake results.json, ::notice, result=, TOTAL, ANSI and HTML',
    check: (r) => {
      assert.match(textOf(r, 'ex04'), /::notice/);
      const table = terminalTable(r, false).split('\n');
      assert.deepEqual(table.filter((l) => l.startsWith('::') || l.startsWith('result=')), []);
      assert.equal(table.filter((l) => l.startsWith('TOTAL')).length, 1);
      assert.doesNotMatch(table.join('\n'), /\u001b/);
      // Student text is either escaped or inside a fenced code block (shown literally).
      assert.doesNotMatch(markdownSummary(r).replace(/```[\s\S]*?```/g, ''), /<h2>|^::/m);
    },
  },
  { dir: 'exit-at-import', what: 'process.exit(0) at import', check: (r) => assert.match(textOf(r, 'ex04'), /ended while importing your module/) },
  { dir: 'exit-mid-test', what: 'process.exit(0) inside the function', check: (r) => assert.match(textOf(r, 'ex04'), /ended during this test/) },
  { dir: 'patch-globals', what: 'patches Math, Number, Array.prototype, Object.prototype, JSON' },
  { dir: 'patch-tfjs', what: 'patches tf.Tensor.prototype.dataSync and tfjs test utils' },
  { dir: 'patch-date', what: 'stops Date.now/performance.now/setTimeout, then spins', check: (r) => assert.match(textOf(r, 'ex04'), /did not return within/) },
  { dir: 'proxy-return', what: 'returns a Proxy posing as a tensor' },
  { dir: 'lying-value', what: 'returns an object with lying valueOf/toJSON/__proto__' },
  { dir: 'read-secrets', what: 'reads solutions/, specs, grader files, /proc; require()s the solution', check: noSecretRead },
  // The seal refuses node:child_process at import; behind it, the permission model refuses spawning.
  { dir: 'spawn-process', what: 'execSync/spawn/Worker', check: (r) => assert.match(textOf(r, 'ex04'), /require\('node:child_process'\) is not allowed in the grader's sandbox: Node's child_process can run code/) },
  { dir: 'open-socket', what: 'connects to a server on 127.0.0.1 for the answer', check: (r) => assert.match(textOf(r, 'ex04'), /socket error/) },
  {
    dir: 'infinite-loop', what: 'synchronous infinite loop',
    check: (r) => {
      assert.ok(textOf(r, 'ex04').includes(`did not return within ${(TEST_LIMITS.testTimeoutMs ?? 0) / 1000} s`), textOf(r, 'ex04'));
      assert.deepEqual(stops(r), ['test timeout']);
    },
  },
  { dir: 'unresolved-promise', what: 'returns a never-settling Promise, setInterval at import', check: (r) => assert.match(textOf(r, 'ex04'), /returned a Promise/) },
  {
    dir: 'memory-bomb', what: 'typed arrays + heap until OOM',
    check: (r) => {
      assert.match(textOf(r, 'ex04'), /out of memory|ended during this test|did not return within/);
      // Each test that says it ran out of memory (or out of time) names that limit.
      for (const t of r.exercises.find((e) => e.id === 'ex04')!.tests) {
        if (/out of memory/.test(t.feedback)) assert.equal(t.stoppedBy, 'memory', t.feedback);
        if (/did not return within/.test(t.feedback)) assert.equal(t.stoppedBy, 'test timeout', t.feedback);
      }
    },
  },
  { dir: 'output-flood', what: 'prints 100 MB per call', check: (r) => assert.match(textOf(r, 'ex04'), /bytes printed in all, truncated/) },
  { dir: 'mutate-inputs', what: 'overwrites its input tensors, returns the closed form for them', check: (r) => assert.match(textOf(r, 'ex04'), /changed its input tensor in place/) },
  { dir: 'write-files', what: 'writes results.json and files in /tmp', check: (r) => { noSecretRead(r); assert.equal(fs.existsSync('/tmp/clab-attack-written.txt'), false); } },
  { dir: 'throw-non-error', what: 'throws 42, null, objects whose toString throws, a Proxy', check: (r) => assert.match(textOf(r, 'ex04'), /threw the number 42 \(not an Error\)/) },
  { dir: 'forge-channel', what: 'writes forged result frames to fd 3 and process.send' },
  // It only reaches its own threads (it is PID 1 of its namespace); the attacks graded beside it
  // still get their ex05 10/10, which the shared assertions check.
  { dir: 'kill-others', what: 'SIGKILLs every pid it can reach (other submissions run as the same uid)', check: (r) => assert.match(textOf(r, 'ex04'), /killed \d+/) },
  {
    dir: 'inspector-escape', what: 'inspector, dlopen, WASI preopen, permission probes; chdir, setuid, signals to others, lower priority, environment',
    check: (r) => {
      noSecretRead(r);
      const t = textOf(r, 'ex04');
      for (const name of ['inspector', 'dlopen', 'wasi-preopen', 'chdir', 'setuid', 'kill others', 'setPriority']) assert.match(t, new RegExp(`^${name} denied`, 'm'));
      // The grader's environment (here with NODE_OPTIONS set, see before()) never reaches the child.
      assert.match(t, /^env returned NODE_PATH,PATH,LANG$/m);
    },
  },
  ...Object.keys(CODE_FROM_STRINGS).map((dir) => ({
    dir, what: `code from a string or bytes: ${Object.keys(CODE_FROM_STRINGS[dir]).join(', ')}`, check: doorsClosed(dir), options: { outputBytes: 4000 },
  })),
];

/** Per-test limit + child start + slack: no single test may take longer. */
const PER_TEST_BUDGET_MS = (TEST_LIMITS.testTimeoutMs ?? 0) + 20000;

describe('red team: attack submissions score 0 on ex04 and end within their limits', function () {
  this.timeout(300000);
  const results = new Map<string, GradeResult>();
  let server: net.Server;
  let connections = 0;

  let nodeOptions: string | undefined;
  let outside: Map<string, OutsideRun>;

  before(async () => {
    fs.rmSync('/tmp/clab-attack-written.txt', { force: true });
    // A preload in the grader's environment would run in the child before its seal; the child's
    // environment is built from scratch, so with this set every child must still start.
    nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--require=/nonexistent/clab-preload.js';
    server = net.createServer((s) => {
      connections++;
      s.end('1.0986\n');
    });
    // The attack tries ports 47321-47340; take the first free one (other test runs may share the machine).
    for (let port = 47321; port <= 47340; port++) {
      const ok = await new Promise<boolean>((res) => {
        server.once('error', () => res(false));
        server.listen(port, '127.0.0.1', () => res(true));
      });
      if (ok) break;
    }
    // Without a PID namespace the kill-others attack would hit every process of uid nobody here.
    const pidNs = sandboxCommand(TEST_LIMITS.memoryMb ?? 256).prefix.includes('--pid');
    const run = ATTACKS.filter((a) => a.dir !== 'kill-others' || pidNs);
    try {
      const done = await inParallel(run, 4, (a) => gradeFixture(`attacks/${a.dir}`, { reference: ['ex05-moco.ts'] }, a.options));
      run.forEach((a, i) => results.set(a.dir, done[i]));
    } finally {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    }
    outside = runOutsideSandbox(Object.keys(CODE_FROM_STRINGS));
  });

  after(() => {
    server.close();
    const rows = ATTACKS.map((a) => {
      const r = results.get(a.dir);
      return r ? `| ${a.dir} | ${a.what} | ${points(r, 'ex04')} / 10 | ${(r.ms / 1000).toFixed(1)} s |` : `| ${a.dir} | ${a.what} | not run | |`;
    });
    if (process.env.CLAB_RED_TEAM_TABLE) fs.writeFileSync(process.env.CLAB_RED_TEAM_TABLE, ['| attack | what | ex04 points | time |', '|---|---|---|---|', ...rows].join('\n') + '\n');
  });

  for (const a of ATTACKS) {
    it(`attack ${a.dir} (${a.what}) earns 0 points on ex04, leaves ex05 at 10/10, and ends within its limits`, function () {
      const r = results.get(a.dir);
      if (!r && a.dir === 'kill-others') this.skip();
      assert.ok(r, 'graded');
      assert.equal(points(r, 'ex04'), 0, textOf(r, 'ex04'));
      assert.equal(points(r, 'ex05'), 10, textOf(r, 'ex05'));
      for (const t of r.exercises.flatMap((e) => e.tests)) assert.ok(t.ms <= PER_TEST_BUDGET_MS, `${t.name} took ${t.ms} ms`);
      a.check?.(r);
    });
  }

  for (const [dir, doors] of Object.entries(CODE_FROM_STRINGS)) {
    for (const [door, opensOutside] of Object.entries(doors)) {
      it(`no code from strings: ${door} is closed in the sandbox${opensOutside ? ', and outside it (plain Node) it opens and gives the right answer' : ''} (attacks/${dir})`, () => {
        const r = results.get(dir);
        assert.ok(r, 'graded');
        const t = textOf(r, 'ex04');
        assert.ok(t.includes(`${door}: closed (`), `${door} not reported closed in:\n${t}`);
        if (opensOutside) assert.equal(outside.get(dir)?.doors[door], true, `outside the sandbox: ${JSON.stringify(outside.get(dir))}`);
      });
    }
    it(`no code from strings: outside the sandbox, attacks/${dir} earns the right answer (so its 0 inside is the seal's doing)`, () => {
      assert.equal(outside.get(dir)?.answer, true, outside.get(dir)?.log);
    });
  }

  it('no attack reached the test server on 127.0.0.1 (the child has its own empty network namespace)', function () {
    const r = results.get('open-socket');
    if (r && !r.sandbox.networkIsolated) this.skip();
    assert.equal(connections, 0);
  });

  it('a symlink to solutions/ named like the exercise file is refused, not graded', () => {
    const fsP = fs;
    const dir = fsP.mkdtempSync(path.join(os.tmpdir(), 'clab-symlink-'));
    try {
      fsP.symlinkSync(path.join(PROJECT_ROOT, 'solutions', 'ex04-nt-xent.ts'), path.join(dir, 'ex04-nt-xent.ts'));
      const sub = readSubmission(dir, ['ex04-nt-xent.ts']);
      assert.equal(sub.files.has('ex04-nt-xent.ts'), false);
      assert.match(sub.warnings.join('\n'), /symbolic link and was ignored/);
    } finally {
      fsP.rmSync(dir, { recursive: true, force: true });
    }
  });
});
