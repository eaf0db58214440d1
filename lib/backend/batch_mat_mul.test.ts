import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'test', 'matmul_child.ts');

interface ChildCase {
  case: string;
  values: number;
  differ: number;
  ran: boolean;
  before: number;
  after: number;
}

describe('BatchMatMul on one WASM thread (lib/backend/batch_mat_mul.ts)', function () {
  this.timeout(120_000);
  let results: ChildCase[] = [];

  before(function () {
    // lib/backend's kernel runs only on one thread, fixed once per process: ask a child for it.
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD], {
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, CLAB_BACKEND: 'wasm', CLAB_THREADS: '1' },
    });
    assert.equal(child.status, 0, `the child failed:\n${child.stdout}${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as { threads: number; results: ChildCase[] };
    assert.equal(report.threads, 1);
    results = report.results;
  });

  const OURS = ['[512,784] x [784,256]', '[64,785] x [785,72]', '[1,128,300] x [1,300,64]', '[256,512] x [512,128] subnormal'];
  const XNNPACK = ['[66,128] x [128,64]', '[64,128] x [128,60]', '[64,128] x [64,128] transposeB', '[2,64,128] x [2,128,64]', '[4,4] x [4,8]'];

  for (const name of OURS) {
    it(`matMul ${name} runs on lib/backend's kernel and equals XNNPACK's bit for bit`, () => {
      const r = results.find((x) => x.case === name);
      assert.ok(r, `no result for ${name}`);
      assert.ok(r.ran, `lib/backend's kernel did not run for ${name}`);
      assert.equal(r.differ, 0, `${r.differ} of ${r.values} values differ from XNNPACK's`);
    });
  }

  for (const name of XNNPACK) {
    it(`matMul ${name} is left to XNNPACK (M % 4, N % 8, transposed, batched or tiny)`, () => {
      const r = results.find((x) => x.case === name);
      assert.ok(r, `no result for ${name}`);
      assert.equal(r.ran, false);
      assert.equal(r.differ, 0);
    });
  }

  it('matMul frees the packed copy of its right operand: the backend holds as many buffers after as before', () => {
    for (const r of results) assert.equal(r.after, r.before, `${r.case}: ${r.after - r.before} buffer(s) left behind`);
  });
});
