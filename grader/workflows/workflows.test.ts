import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { VERBS } from '../cli';
import { parseVerbArgs } from '../command_line/flags';
import { PROJECT_ROOT } from '../engine/project_root';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  if?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: { workflow_dispatch?: { inputs: Record<string, { default?: string; required?: boolean }> } };
  jobs: Record<string, Job>;
}

const load = (name: string): Workflow => parse(fs.readFileSync(path.join(PROJECT_ROOT, 'grader', 'workflows', name), 'utf8'), { strict: true, uniqueKeys: true }) as Workflow;

/** The clab-grade command line inside a `run:` script, split like a shell would, $VARS replaced. */
function clabArgs(run: string, vars: Record<string, string>): string[] {
  const line = run.split('\n').find((l) => l.includes('grader/bin/clab-grade.js'));
  assert.ok(line, `no clab-grade call in:\n${run}`);
  const after = line.slice(line.indexOf('clab-grade.js') + 'clab-grade.js'.length);
  return [...after.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]).replace(/\$(\w+)|\$\{(\w+)\}/g, (_, a, b) => vars[a ?? b] ?? `<${a ?? b}>`));
}

function verb(name: string) {
  const v = VERBS.find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

describe('grader/workflows/grade-all.yml: N grading jobs, then a merge job (parsed with a YAML parser)', () => {
  const wf = load('grade-all.yml');
  const { plan, grade, merge } = wf.jobs;

  it('it is started by hand with the submissions (folder or .zip) and the number of shards', () => {
    const inputs = wf.on.workflow_dispatch!.inputs;
    assert.deepEqual(Object.keys(inputs).sort(), ['shards', 'submissions']);
    assert.equal(inputs.shards.default, '4');
  });

  it("plan's script turns shards=4 into the matrix [1,2,3,4] and refuses 0, 65 and 'four'", () => {
    const script = plan.steps.find((s) => s.id === 'plan')!.run!;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-'));
    try {
      const runPlan = (n: string) => {
        const out = path.join(tmp, `out-${n}`);
        fs.writeFileSync(out, '');
        const r = spawnSync('bash', ['-e', '-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', N: n, GITHUB_OUTPUT: out }, encoding: 'utf8' });
        return { code: r.status, outputs: Object.fromEntries(fs.readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=', 2))) as Record<string, string> };
      };
      const ok = runPlan('4');
      assert.equal(ok.code, 0);
      assert.deepEqual(JSON.parse(ok.outputs.shards), [1, 2, 3, 4]);
      assert.equal(ok.outputs.count, '4');
      assert.deepEqual(JSON.parse(runPlan('1').outputs.shards), [1]);
      for (const bad of ['0', '65', 'four', '']) assert.equal(runPlan(bad).code, 1, bad);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    assert.deepEqual(Object.keys(plan.outputs!).sort(), ['count', 'shards']);
  });

  it('grade is a matrix over the plan, each job running grade-all --shard K/N with flags the grade-all verb accepts', () => {
    assert.equal(grade.needs, 'plan');
    assert.equal(grade.strategy!['fail-fast'], false);
    assert.equal(grade.strategy!.matrix.shard, '${{ fromJSON(needs.plan.outputs.shards) }}');
    const step = grade.steps.find((s) => s.run?.includes('clab-grade.js grade-all'))!;
    assert.equal(step.env!.SHARD, '${{ matrix.shard }}/${{ needs.plan.outputs.count }}');
    const argv = clabArgs(step.run!, { SUBMISSIONS_DIR: 'subs', SHARD: '3/4' });
    assert.equal(argv[0], 'grade-all');
    const a = parseVerbArgs(verb('grade-all'), argv.slice(1));
    assert.deepEqual(a.positionals, ['subs']);
    assert.deepEqual(a.flags.shard, { index: 3, count: 4 });
    const upload = grade.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    assert.equal(upload.with!.path.replace(/\/$/, ''), a.flags.out);
    assert.equal(upload.with!.name, 'grades-shard-${{ matrix.shard }}');
  });

  it('merge waits for every grade job, downloads each grades-shard-* and merges them with flags the merge verb accepts', () => {
    assert.deepEqual(merge.needs, ['plan', 'grade']);
    assert.equal(merge.if, '${{ !cancelled() }}');
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    const pattern = new RegExp(`^${download.with!.pattern.replace(/\*/g, '.*')}$`);
    for (const k of [1, 2, 17]) assert.match(`grades-shard-${k}`, pattern);
    const argv = clabArgs(merge.steps.find((s) => s.run?.includes('clab-grade.js merge'))!.run!, {});
    assert.equal(argv[0], 'merge');
    const a = parseVerbArgs(verb('merge'), argv.slice(1));
    assert.deepEqual(a.positionals, [download.with!.path]);
    const upload = merge.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    assert.equal(upload.with!.path.replace(/\/$/, ''), a.flags.out);
  });
});

describe('grader/workflows/classroom.yml (parsed with a YAML parser)', () => {
  it('both of its grade commands (instructor: grade; student: check) parse with their verbs', () => {
    const wf = load('classroom.yml');
    const run = wf.jobs.grade.steps.find((s) => s.id === 'grade')!.run!;
    const targets = [...run.matchAll(/TARGET="([^"]+)"/g)].map((m) => m[1].split(' '));
    assert.deepEqual(targets.map((t) => t[0]), ['grade', 'check']);
    for (const [name, ...rest] of targets) assert.equal(parseVerbArgs(verb(name), rest).help, false);
  });
});
