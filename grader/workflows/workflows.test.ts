import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { VERBS } from '../cli';
import { parseVerbArgs } from '../command_line/flags';
import { SECRET_ENV } from '../engine/instructor_secret';
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

/** The variables `sudo --preserve-env=A,B` in a `run:` script keeps. */
function preserved(run: string): string[] {
  const m = /sudo --preserve-env=(\S+)/.exec(run);
  assert.ok(m, `no sudo --preserve-env in:\n${run}`);
  return m[1].split(',');
}

/**
 * Runs a grading step's script with stand-ins for `sudo` (drops its options, runs the rest) and
 * `node` (records its arguments, writes `writes` if given, exits with `code`).
 * @returns the arguments after grader/bin/clab-grade.js, and the script's exit status
 */
function runGradeStep(run: string, tmp: string, vars: Record<string, string>, cwd?: string, node: { code: number; writes?: string } = { code: 0 }): { argv: string[]; status: number | null } {
  const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
  const work = cwd ?? fs.mkdtempSync(path.join(tmp, 'work-'));
  const record = path.join(bin, 'argv');
  fs.writeFileSync(path.join(bin, 'sudo'), '#!/bin/bash\nwhile [[ "$1" == -* ]]; do shift; done\nexec "$@"\n', { mode: 0o755 });
  const write = node.writes ? `mkdir -p "$(dirname '${node.writes}')" && touch '${node.writes}'\n` : '';
  fs.writeFileSync(path.join(bin, 'node'), `#!/bin/bash\nprintf '%s\\0' "$@" > '${record}'\n${write}exit ${node.code}\n`, { mode: 0o755 });
  const r = spawnSync('bash', ['-e', '-c', run], { cwd: work, env: { PATH: `${bin}:/usr/bin:/bin`, ...vars }, encoding: 'utf8' });
  const argv = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\0').slice(0, -1) : [];
  assert.equal(argv[0], 'grader/bin/clab-grade.js', `${r.stderr}\n${run}`);
  fs.rmSync(path.join(work, 'grades'), { recursive: true, force: true });
  return { argv: argv.slice(1), status: r.status };
}

function verb(name: string) {
  const v = VERBS.find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

describe('grader/workflows/grade-all.yml: N grading jobs, then a merge job (parsed with a YAML parser)', () => {
  const wf = load('grade-all.yml');
  const { plan, grade, merge } = wf.jobs;

  it('it is started by hand with the submissions (folder or .zip), the number of shards and the release manifest', () => {
    const inputs = wf.on.workflow_dispatch!.inputs;
    assert.deepEqual(Object.keys(inputs).sort(), ['manifest', 'shards', 'submissions']);
    assert.equal(inputs.shards.default, '4');
    assert.equal(inputs.manifest.default, 'release.manifest.json');
    assert.equal(inputs.manifest.required, false);
  });

  it("plan's script turns shards=4 into the matrix [1,2,3,4], refuses 0, 65 and 'four', and stops when the repository has no instructor secret", () => {
    const step = plan.steps.find((s) => s.id === 'plan')!;
    const script = step.run!;
    assert.equal(step.env!.HAS_SECRET, `\${{ secrets.${SECRET_ENV} != '' }}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-'));
    try {
      const runPlan = (n: string, hasSecret = 'true') => {
        const out = path.join(tmp, `out-${n}`);
        fs.writeFileSync(out, '');
        const r = spawnSync('bash', ['-e', '-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', N: n, HAS_SECRET: hasSecret, GITHUB_OUTPUT: out }, encoding: 'utf8' });
        return { code: r.status, err: r.stderr, outputs: Object.fromEntries(fs.readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=', 2))) as Record<string, string> };
      };
      const noSecret = runPlan('4', 'false');
      assert.equal(noSecret.code, 1);
      assert.match(noSecret.err, /the repository secret CLAB_GRADE_SECRET is not set: make one with node grader\/bin\/clab-grade.js secret --out secret.txt/);
      assert.deepEqual(noSecret.outputs, {});
      // The command it gives parses with the secret verb's own flags.
      const made = /make one with node grader\/bin\/clab-grade.js (secret [^ ]+ [^ ]+)/.exec(noSecret.err)![1].split(' ');
      assert.equal(parseVerbArgs(verb(made[0]), made.slice(1)).flags.out, 'secret.txt');
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

  it('grade is a matrix over the plan, each job running grade-all --shard K/N with flags the grade-all verb accepts, and the repository secret handed through sudo', () => {
    assert.equal(grade.needs, 'plan');
    assert.equal(grade.strategy!['fail-fast'], false);
    assert.equal(grade.strategy!.matrix.shard, '${{ fromJSON(needs.plan.outputs.shards) }}');
    const step = grade.steps.find((s) => s.run?.includes('clab-grade.js grade-all'))!;
    assert.equal(step.env!.SHARD, '${{ matrix.shard }}/${{ needs.plan.outputs.count }}');
    assert.equal(step.env![SECRET_ENV], `\${{ secrets.${SECRET_ENV} }}`);
    assert.ok(preserved(step.run!).includes(SECRET_ENV), step.run);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-grade-'));
    try {
      const { argv } = runGradeStep(step.run!, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '3/4' });
      assert.equal(argv[0], 'grade-all');
      const a = parseVerbArgs(verb('grade-all'), argv.slice(1));
      assert.deepEqual(a.positionals, ['subs']);
      assert.equal(a.flags.secret, undefined, 'the secret comes from the environment, never the command line (which the log shows)');
      assert.deepEqual(a.flags.shard, { index: 3, count: 4 });
      const upload = grade.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
      assert.equal(upload.with!.path.replace(/\/$/, ''), a.flags.out);
      assert.equal(upload.with!.name, 'grades-shard-${{ matrix.shard }}');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('with release.manifest.json in the repository (or the path the manifest input names) every shard runs grade-all --manifest; without it a warning and no flag; a named file that is missing stops the job', () => {
    const steps = grade.steps;
    const find = steps.findIndex((s) => s.id === 'manifest');
    const gradeStep = steps.findIndex((s) => s.run?.includes('clab-grade.js grade-all') ?? false);
    const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout'));
    assert.ok(checkout >= 0 && checkout < find && find < gradeStep, `order: checkout ${checkout}, manifest ${find}, grade ${gradeStep}`);
    assert.equal(steps[find].env!.MANIFEST, '${{ inputs.manifest }}');
    const input = wf.on.workflow_dispatch!.inputs.manifest.default!;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-manifest-'));
    try {
      const repo = path.join(tmp, 'repo');
      fs.mkdirSync(repo);
      /** Runs the manifest step, then the grade step with the variables it exported; returns both and grade-all's flags. */
      const run = (manifest: string) => {
        const githubEnv = path.join(tmp, 'github-env');
        fs.writeFileSync(githubEnv, '');
        const r = spawnSync('bash', ['-e', '-c', steps[find].run!], { cwd: repo, env: { PATH: '/usr/bin:/bin', MANIFEST: manifest, GITHUB_ENV: githubEnv }, encoding: 'utf8' });
        const exported = Object.fromEntries(fs.readFileSync(githubEnv, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        const g = r.status === 0 ? runGradeStep(steps[gradeStep].run!, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '1/2', ...exported }, repo) : null;
        return { r, exported, flags: g ? parseVerbArgs(verb('grade-all'), g.argv.slice(1)).flags : null };
      };
      const absent = run(input);
      assert.equal(absent.r.status, 0, absent.r.stderr);
      assert.match(absent.r.stdout, /^::warning title=Course files not checked::no release manifest .*not marked in the gradebook\. Commit the copy release wrote beside the release \(<out>\.manifest\.json\) as release\.manifest\.json\.$/m);
      assert.deepEqual(absent.exported, {});
      assert.equal(absent.flags!.manifest, undefined);
      const empty = run('');
      assert.match(empty.r.stdout, /::warning title=Course files not checked::/);
      assert.equal(empty.flags!.manifest, undefined);
      fs.writeFileSync(path.join(repo, input), '{}\n');
      const present = run(input);
      assert.equal(present.r.status, 0, present.r.stderr);
      assert.equal(present.flags!.manifest, input, 'grade-all --manifest release.manifest.json');
      fs.mkdirSync(path.join(repo, 'course'));
      fs.writeFileSync(path.join(repo, 'course', 'spring 2026.manifest.json'), '{}\n');
      assert.equal(run('course/spring 2026.manifest.json').flags!.manifest, 'course/spring 2026.manifest.json', 'a path with a space stays one argument');
      const typo = run('course/spring-2026.manifest.json');
      assert.equal(typo.r.status, 1);
      assert.match(typo.r.stderr, /the release manifest course\/spring-2026\.manifest\.json is not a file in this repository: commit the copy release wrote/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("a shard whose grade-all exits 3 after writing its shard manifest (some submissions unreadable) uploads for merge; exit 3 before it (folder or manifest unreadable) fails the job", () => {
    const run = grade.steps.find((s) => s.run?.includes('clab-grade.js grade-all'))!.run!;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-exit-'));
    try {
      assert.equal(runGradeStep(run, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '2/4' }, undefined, { code: 3, writes: 'grades/shard-2-of-4.json' }).status, 0);
      assert.equal(runGradeStep(run, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '2/4' }, undefined, { code: 3 }).status, 3);
      assert.equal(runGradeStep(run, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '2/4' }, undefined, { code: 4, writes: 'grades/shard-2-of-4.json' }).status, 4);
      assert.equal(runGradeStep(run, tmp, { SUBMISSIONS_DIR: 'subs', SHARD: '2/4' }, undefined, { code: 0, writes: 'grades/shard-2-of-4.json' }).status, 0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
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
  it("both of its grade commands (instructor: grade; student: check) parse with their verbs, and the instructor's grade gets the repository secret through sudo", () => {
    const wf = load('classroom.yml');
    const step = wf.jobs.grade.steps.find((s) => s.id === 'grade')!;
    const run = step.run!;
    assert.equal(step.env![SECRET_ENV], `\${{ secrets.${SECRET_ENV} }}`);
    assert.ok(preserved(run).includes(SECRET_ENV), run);
    const targets = [...run.matchAll(/TARGET="([^"]+)"/g)].map((m) => m[1].split(' '));
    assert.deepEqual(targets.map((t) => t[0]), ['grade', 'check']);
    for (const [name, ...rest] of targets) assert.equal(parseVerbArgs(verb(name), rest).help, false);
  });

  it('verifies the course files after npm ci and before grading; a failed verify leaves no step that reports a score', () => {
    const steps = load('classroom.yml').jobs.grade.steps;
    const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const install = at((s) => /^npm ci\b/.test(s.run ?? ''));
    const verify = at((s) => s.id === 'verify');
    const grade = at((s) => s.id === 'grade');
    assert.ok(install >= 0 && install < verify && verify < grade, `order: npm ci ${install}, verify ${verify}, grade ${grade}`);
    const argv = clabArgs(steps[verify].run!, {});
    assert.equal(argv[0], 'verify');
    assert.equal(parseVerbArgs(verb('verify'), argv.slice(1)).help, false);
    // A step runs after a failed one only with always(), failure() or !cancelled() in its `if`.
    for (const s of steps.slice(verify + 1)) {
      if (s.id === 'grade' || s.uses?.startsWith('classroom-resources/')) assert.doesNotMatch(s.if ?? '', /always\(\)|failure\(\)|cancelled\(\)/, s.name ?? s.uses ?? '');
    }
  });

  it("verify's script runs clab-grade verify in a student repository and fails with it; in the course repository (solutions/) it passes without a manifest", () => {
    const script = load('classroom.yml').jobs.grade.steps.find((s) => s.id === 'verify')!.run!;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wf-verify-'));
    try {
      // A stand-in `node` on PATH: records its arguments and exits as a modified repository would.
      const bin = path.join(tmp, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "$@" > "$RECORD"\nexit 1\n', { mode: 0o755 });
      const runIn = (dir: string) => spawnSync('bash', ['-e', '-c', script], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: path.join(tmp, 'args') }, encoding: 'utf8' });
      const student = path.join(tmp, 'student');
      fs.mkdirSync(student);
      assert.equal(runIn(student).status, 1);
      assert.equal(fs.readFileSync(path.join(tmp, 'args'), 'utf8').trim(), 'grader/bin/clab-grade.js verify');
      fs.rmSync(path.join(tmp, 'args'));
      fs.mkdirSync(path.join(student, 'solutions'));
      const course = runIn(student);
      assert.equal(course.status, 0, course.stderr);
      assert.match(course.stdout, /no release manifest to verify/);
      assert.ok(!fs.existsSync(path.join(tmp, 'args')), 'clab-grade is not run in the course repository');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
