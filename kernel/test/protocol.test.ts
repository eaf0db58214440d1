import assert from 'node:assert/strict';
import { ensureBuilt, KernelClient, plainTraceback, streamText } from './kernel_client';
import type { Message } from '../wire';

// The kernel as Jupyter front ends use it, over its sockets: the registered kernelspec's kernel,
// compiled to dist/ (ensureBuilt rebuilds it when a source changed). The conformance suite
// (kernel/test/conformance.py, npm test's `kernel` step) checks each message's schema; these
// check what the course relies on: status in order with queued cells, interrupts that stop a
// training loop and keep the variables, type errors and tracebacks that point at the cell, and
// rich values.

const types = (msgs: Message[]) => msgs.map((m) => m.header.msg_type);
const statuses = (msgs: Message[]) => msgs.filter((m) => m.header.msg_type === 'status').map((m) => [(m.parent_header as { msg_id: string }).msg_id, m.content.execution_state]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the TypeScript kernel over its sockets (kernel/, as registered)', function () {
  this.timeout(300_000);
  let kernel: KernelClient;

  before(async function () {
    ensureBuilt();
    kernel = await KernelClient.start();
  });

  after(async function () {
    await kernel?.shutdown().catch(() => kernel.close());
  });

  it('three cells sent at once run one at a time: busy, outputs, idle for each, in the order sent', async function () {
    const codes = [1, 2, 3].map((k) => `await new Promise((r) => setTimeout(r, 300));\nconsole.log('cell ${k}');`);
    const from = kernel.iopubLog.length;
    const ids: string[] = [];
    for (const code of codes) ids.push(await kernel.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false }));
    for (const id of ids) await kernel.idle(id);
    const log = kernel.iopubLog.slice(from);
    assert.deepEqual(
      statuses(log).filter(([id]) => ids.includes(id as string)),
      ids.flatMap((id) => [[id, 'busy'], [id, 'idle']]),
    );
    // Each cell's output lies between its own busy and idle.
    ids.forEach((id, k) => {
      const start = log.findIndex((m) => m.header.msg_type === 'status' && (m.parent_header as { msg_id: string }).msg_id === id);
      const end = log.findIndex((m, i) => i > start && m.header.msg_type === 'status');
      assert.equal(streamText(log.slice(start, end), 'stdout'), `cell ${k + 1}\n`);
    });
  });

  it('a cell whose last expression has a value sends execute_result with its execution count', async function () {
    const { reply, iopub } = await kernel.execute('const answer: number = 6 * 7;\nanswer');
    assert.equal(reply.content.status, 'ok');
    const result = iopub.find((m) => m.header.msg_type === 'execute_result')!;
    assert.deepEqual(result.content.data, { 'text/plain': '42' });
    assert.equal(result.content.execution_count, reply.content.execution_count);
    // A value that arrives through a top-level await (the compiled cell checks for an interrupt there).
    await kernel.execute('const awaited = await Promise.resolve(6);');
    const later = await kernel.execute('awaited * 7');
    assert.deepEqual(later.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '42' });
  });

  it('a type error is an error message (ename TS2322, the compiler text, the cell line) and the cell does not run', async function () {
    const { reply, iopub } = await kernel.execute("console.log('ran');\n\nconst typed: number = 'not a number';");
    assert.equal(reply.content.status, 'error');
    assert.deepEqual(types(iopub), ['status', 'execute_input', 'error', 'status']);
    const error = iopub.find((m) => m.header.msg_type === 'error')!.content;
    assert.equal(error.ename, 'TS2322');
    assert.equal(error.evalue, "Type 'string' is not assignable to type 'number'.");
    const count = reply.content.execution_count;
    assert.match(plainTraceback(error), new RegExp(`at In\\[${count}\\]:3:7\\n`));
    assert.match(plainTraceback(error), /--> 3 \| const typed: number = 'not a number';\n +\| {7}\^{5}\n?$/);
  });

  it("a runtime error's traceback points at the cell's line and column, through types and blank lines the compiler dropped", async function () {
    const define = await kernel.execute("interface Point {\n  x: number;\n}\n\nfunction norm(p: Point): number {\n\n  if (p.x < 0) throw new RangeError('negative');\n  return p.x;\n}");
    const defined = define.reply.content.execution_count as number;
    const { reply, iopub } = await kernel.execute("type Unused = string;\n\nconst p: Point = {x: -1};\nnorm(p);");
    assert.equal(reply.content.status, 'error');
    const error = iopub.find((m) => m.header.msg_type === 'error')!.content;
    assert.equal(error.ename, 'RangeError');
    assert.equal(error.evalue, 'negative');
    const text = plainTraceback(error);
    // The throw in the earlier cell (line 7, column 22: `new`), then the call in this one (line 4).
    assert.match(text, new RegExp(`at norm \\(In\\[${defined}\\]:7:22\\)\\n +at In\\[${reply.content.execution_count}\\]:4:1`));
    assert.doesNotMatch(text, /node:vm|dist\/kernel|tslab/);
  });

  it("an error thrown in the library shows lib/'s TypeScript file through the source map, not dist/", async function () {
    await kernel.execute("import * as clab from '../dist/lib';");
    const { reply, iopub } = await kernel.execute("clab.display.table('not rows' as any);");
    assert.equal(reply.content.status, 'error');
    const text = plainTraceback(iopub.find((m) => m.header.msg_type === 'error')!.content);
    assert.match(text, /table: rows must be an array/);
    assert.match(text, /at tableBundle \(lib\/display\/table\.ts:\d+:\d+\)/);
    assert.doesNotMatch(text, /at .*dist\/lib/);
  });

  it('a tfjs tensor shows its dtype, shape and values: an HTML table for a small matrix, statistics for a large one', async function () {
    const small = await kernel.execute("import * as tf from '@tensorflow/tfjs';\ntf.tensor2d([[1, 2.5], [3, 4]])");
    const data = small.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data as Record<string, string>;
    assert.equal(data['text/plain'], 'Tensor float32 [2, 2]\n[[1, 2.5],\n [3, 4]]');
    assert.match(data['text/html'], /<table>.*<td[^>]*>2\.5<\/td>.*<\/table>/s);
    const large = await kernel.execute('tf.range(0, 1000).reshape([10, 100])');
    const text = (large.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data as Record<string, string>)['text/plain'];
    assert.match(text, /^Tensor float32 \[10, 100\]\n {2}min: 0\n {2}max: 999\n {2}mean: 499\.5\n/);
  });

  it("an object's [Symbol.for('Jupyter.display')]() bundle is its value's output; lib/display's table is one ONE display_data", async function () {
    const own = await kernel.execute("({[Symbol.for('Jupyter.display')]: () => ({'text/markdown': '**hi**', 'text/plain': 'hi'})})");
    assert.deepEqual(own.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/markdown': '**hi**', 'text/plain': 'hi' });
    const table = await kernel.execute("clab.display.table([{a: 1, b: 'x'}]);");
    const shown = table.iopub.filter((m) => m.header.msg_type === 'display_data');
    assert.equal(shown.length, 1);
    assert.deepEqual(Object.keys(shown[0].content.data as object).sort(), ['text/html', 'text/markdown', 'text/plain']);
  });

  it('600 outputs from one synchronous loop all arrive, in order, and the kernel goes on (one send at a time per socket)', async function () {
    const { reply, iopub } = await kernel.execute("const jupyter = (globalThis as any)[Symbol.for('Jupyter.kernel')];\nfor (let i = 0; i < 600; i++) jupyter.display({ 'text/plain': String(i) }, { raw: true });");
    assert.equal(reply.content.status, 'ok');
    const shown = iopub.filter((m) => m.header.msg_type === 'display_data').map((m) => (m.content.data as Record<string, string>)['text/plain']);
    assert.deepEqual(shown, Array.from({ length: 600 }, (_, i) => String(i)));
    assert.equal((await kernel.execute('1 + 1')).reply.content.status, 'ok');
  });

  it('after a failing cell, the cells queued behind it are aborted (not run); the kernel then runs the next one', async function () {
    const ids: string[] = [];
    for (const code of ["throw new Error('first fails')", "console.log('must not run')", "console.log('nor this')"]) {
      ids.push(await kernel.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }));
    }
    const replies = await Promise.all(ids.map((id) => kernel.reply(id)));
    assert.deepEqual(replies.map((r) => r.content.status), ['error', 'aborted', 'aborted']);
    await kernel.idle(ids[2]);
    assert.equal(streamText(ids.flatMap((id) => kernel.messagesFor(id)), 'stdout'), '');
    const after = await kernel.execute("'still here'");
    assert.equal(after.reply.content.status, 'ok');
  });

  it('complete_request and inspect_request know the variables of earlier cells and their types', async function () {
    await kernel.execute('const learningRate: number = 0.001;');
    const completeId = await kernel.send('shell', 'complete_request', { code: 'learningR', cursor_pos: 9 });
    const completion = await kernel.reply(completeId);
    assert.deepEqual(completion.content.matches, ['learningRate']);
    assert.deepEqual([completion.content.cursor_start, completion.content.cursor_end], [0, 9]);
    const inspectId = await kernel.send('shell', 'inspect_request', { code: 'learningRate', cursor_pos: 3, detail_level: 0 });
    const inspected = await kernel.reply(inspectId);
    assert.equal((inspected.content.data as Record<string, string>)['text/plain'], 'const learningRate: number');
  });
});

describe('interrupting the TypeScript kernel', function () {
  this.timeout(300_000);
  let kernel: KernelClient;

  before(async function () {
    kernel = await KernelClient.start();
    await kernel.execute("import * as clab from '../dist/lib';\nconst kept = 41;\nlet stepsDone = 0;\nawait clab.initBackend();");
  });

  after(async function () {
    await kernel?.shutdown().catch(() => kernel.close());
  });

  const printed = (m: Message) => m.header.msg_type === 'stream' && String(m.content.text).includes('started');

  /** Starts `code`, waits until it is under way, interrupts (by message or SIGINT), and returns the reply and how long it took. */
  async function interrupt(code: string, how: 'message' | 'signal', underWay = printed): Promise<{ reply: Message; seconds: number; iopub: Message[] }> {
    const id = await kernel.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
    await kernel.until(id, underWay);
    await sleep(300);
    const t0 = Date.now();
    if (how === 'message') {
      const control = await kernel.send('control', 'interrupt_request', {});
      assert.equal((await kernel.reply(control)).content.status, 'ok');
    } else kernel.child.kill('SIGINT');
    const reply = await kernel.reply(id);
    const seconds = (Date.now() - t0) / 1000;
    return { reply, seconds, iopub: await kernel.idle(id) };
  }

  it('a SimCLR training loop (lib/train) stops at its next step, with an Interrupted error; the loop does not go on behind it', async function () {
    const code = [
      "const run = await clab.train.trainSimCLR({data: clab.data.toyShapes({n: 256}), encoderConfig: {hidden: [32]}, head: {hiddenDim: 16, outDim: 8}, batchSize: 32, steps: 100000, workers: 0,",
      '  onStep: (s) => { stepsDone = s.step; }});',
    ].join('\n');
    // Under way once the progress display has been updated after a step.
    const { reply, seconds, iopub } = await interrupt(code, 'message', (m) => m.header.msg_type === 'update_display_data');
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'Interrupted');
    // About a second on an idle machine; the bound leaves room for a busy one.
    assert.ok(seconds < 10, `the reply came ${seconds} s after the interrupt`);
    assert.match(plainTraceback(iopub.find((m) => m.header.msg_type === 'error')!.content), /Interrupted: the cell was interrupted/);
    const before = await kernel.execute('stepsDone');
    await sleep(1000);
    const later = await kernel.execute('stepsDone');
    const steps = (e: { iopub: Message[] }) => (e.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data as Record<string, string>)['text/plain'];
    assert.ok(Number(steps(before)) > 0, 'it trained before the interrupt');
    assert.equal(steps(later), steps(before), 'no step ran after the interrupt');
  });

  it('the kernel keeps the variables of earlier cells after an interrupt', async function () {
    const { iopub } = await kernel.execute('kept + 1');
    assert.deepEqual(iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '42' });
  });

  it("a cell's own await loop stops on interrupt_request (the compiled loop checks), and on SIGINT", async function () {
    for (const how of ['message', 'signal'] as const) {
      const { reply, seconds } = await interrupt("console.log('started');\nfor (;;) await new Promise((r) => setTimeout(r, 20));", how);
      assert.equal(reply.content.ename, 'Interrupted', how);
      assert.ok(seconds < 10, `${how}: ${seconds} s`);
    }
  });

  it('a synchronous infinite loop stops on interrupt_request, before and after an await in the cell', async function () {
    for (const code of ["console.log('started');\nwhile (true) {}", "console.log('started');\nawait null;\nlet spins = 0;\nwhile (true) spins++;"]) {
      const { reply } = await interrupt(code, 'message');
      assert.equal(reply.content.ename, 'Interrupted', code);
    }
    const { iopub } = await kernel.execute('kept');
    assert.deepEqual(iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '41' });
  });

  it('synchronous code the compiler did not instrument (here a Function built at run time) stops on interrupt_request too (SIGINT, breakOnSigint)', async function () {
    const { reply } = await interrupt("console.log('started');\nnew Function('while (true) {}')();", 'message');
    assert.equal(reply.content.ename, 'Interrupted');
  });

  it('an interrupt_request between cells interrupts nothing: the next cell runs', async function () {
    assert.equal((await kernel.reply(await kernel.send('control', 'interrupt_request', {}))).content.status, 'ok');
    await sleep(500); // past the moment the kernel would send itself SIGINT for a running cell
    const { reply, iopub } = await kernel.execute('let sum = 0;\nfor (let i = 1; i <= 100; i++) sum += i;\nsum');
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '5050' });
  });

  it('answers the heartbeat and kernel_info on the control channel while a cell runs, and the status stays busy', async function () {
    const id = await kernel.send('shell', 'execute_request', { code: "console.log('started');\nwhile (true) {}", silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
    await kernel.until(id, (m) => m.header.msg_type === 'stream');
    const info = await kernel.reply(await kernel.send('control', 'kernel_info_request', {}), 10_000);
    assert.equal(info.content.status, 'ok');
    assert.equal((info.content.language_info as { name: string }).name, 'typescript');
    assert.equal(await kernel.heartbeat('ping-while-busy', 10_000), 'ping-while-busy');
    await kernel.reply(await kernel.send('control', 'interrupt_request', {}));
    await kernel.reply(id);
    await kernel.idle(id);
    assert.deepEqual(statuses(kernel.iopubLog).filter(([, s]) => s !== 'busy' && s !== 'idle'), []);
    assert.equal(kernel.iopubLog.filter((m) => m.header.msg_type === 'status' && (m.parent_header as { msg_type?: string }).msg_type !== 'execute_request' && (m.parent_header as { msg_type?: string }).msg_type !== 'kernel_info_request').length, 0);
  });

  it('an error thrown later by a timer is shown on stderr, pointing at its cell, and the kernel lives on (tfjs WASM is loaded)', async function () {
    const { reply } = await kernel.execute("setTimeout(() => { throw new Error('late failure'); }, 50);");
    const count = reply.content.execution_count;
    const next = await kernel.execute("await new Promise((r) => setTimeout(r, 500));\n'alive'");
    assert.deepEqual(next.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': "'alive'" });
    const stderr = kernel.iopubLog.filter((m) => m.header.msg_type === 'stream' && m.content.name === 'stderr').map((m) => String(m.content.text)).join('');
    assert.match(stderr.replace(/\x1b\[[0-9;]*m/g, ''), new RegExp(`Uncaught \\(in the background\\): Error: late failure\\n +at (Timeout\\._onTimeout|Timeout\\.<anonymous>) \\(In\\[${count}\\]:1:26\\)`));
  });

  it('shutdown_request on control ends the process with exit code 0', async function () {
    assert.equal(await kernel.shutdown(), 0);
  });
});
