// The deployment matrix: the grader must give the reference full marks and a known mistake its
// score wherever it runs. Each cell runs the real CLI (`grade-all` over a reference and a
// known-mistake submission, whose scores this process computes first in its own checkout; the
// mistake must score partial marks, so that a wrong zero cannot pass for its score) from a copy
// of this checkout placed where the cell says:
//   (a) as root, the checkout under a 0700 folder (mktemp -d: the sandbox user cannot enter it)
//   (b) as an unprivileged user this test creates (useradd, then runuser)
//   (c) from a path with spaces and non-ASCII characters
//   (d) with the submissions given as .zip files
// One copy serves every cell: node_modules is hard-linked once (cp -al; never chown-ed: that
// would change the originals) and the copy is renamed from cell to cell (free on one file system).
// Cells that need root say "skipped: needs root" (CI runs as root, so they run there).
// grade-all takes the instructor secret from the environment, as a CI job does; a known
// mistake's score does not depend on the seeds, so the in-process baseline (fixed seeds) holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { GradeResult, PROJECT_ROOT, SECRET_ENV, secretFingerprint } from './engine';
import { gradeFixture, TEST_LIMITS } from './fixtures/grade_fixture';
import type { GradebookRow } from './report/gradebook_csv';

/** The known-mistake fixture tried first; if specs change so that it no longer scores partial marks, the next that does is used. */
const PREFERRED_MISTAKE = 'ex04-no-temperature';
const MISTAKES_DIR = path.join(PROJECT_ROOT, 'grader', 'fixtures', 'mistakes');
const SOURCES = ['lib', 'grader', 'solutions', 'exercises', 'package.json', 'package-lock.json', 'tsconfig.json'];
const EXERCISE_FILES = fs.readdirSync(path.join(PROJECT_ROOT, 'solutions')).filter((f) => /^ex\d\d-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
const isRoot = process.getuid?.() === 0;
/** The instructor secret of every cell (a test value). */
const SECRET = Buffer.from('deployment matrix: a secret of 32 bytes');

interface Cell {
  id: string;
  what: string;
  needsRoot: boolean;
  /** Where the checkout goes, relative to the matrix's base folder. */
  at: string;
  zip: boolean;
  asUser: boolean;
  /** Filled in when it ran. */
  row?: { reference: string; mistake: string; user: string; seconds: number; cpu: number };
  skipped?: string;
}

const CELLS: Cell[] = [
  { id: 'a', what: 'root, checkout under a 0700 folder', needsRoot: true, at: 'closed/checkout', zip: false, asUser: false },
  { id: 'c', what: 'path with spaces and non-ASCII', needsRoot: false, at: 'open/dir with spaces/ünïcødé 课程/checkout', zip: false, asUser: false },
  { id: 'd', what: 'submissions as .zip', needsRoot: false, at: 'open/d/checkout', zip: true, asUser: false },
  { id: 'b', what: 'unprivileged user (useradd, runuser)', needsRoot: true, at: 'open/b/checkout', zip: false, asUser: true },
];

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
}

/** Folders and files of a copy are readable by everyone (the sources only; node_modules keeps its own modes). */
function openUp(p: string): void {
  const st = fs.lstatSync(p);
  if (st.isDirectory()) {
    fs.chmodSync(p, 0o755);
    for (const e of fs.readdirSync(p)) openUp(path.join(p, e));
  } else if (st.isFile()) fs.chmodSync(p, 0o644);
}

/** CPU seconds of the children this process has reaped (the CLI runs, with their own reaped children). */
function reapedCpu(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

function points(row: GradebookRow): string {
  return `${row.score}/${row.maxScore}`;
}

describe('deployment matrix: the reference gets full marks and a known mistake its score wherever the grader runs', function () {
  this.timeout(600000);
  let base: string;
  let checkout: string;
  let subs: { dir: string; zips: string };
  let baseline: { reference: GradeResult; mistake: GradeResult };
  let mistakeName = PREFERRED_MISTAKE;
  let user: string | null = null;
  let userUid = -1;
  const t0 = Date.now();
  let setupSeconds = 0;

  before(async () => {
    // Same file system as node_modules, or hard links cannot be made: the OS temp folder if it
    // is, else the folder that holds this checkout.
    const dev = fs.statSync(path.join(PROJECT_ROOT, 'node_modules')).dev;
    const parent = fs.statSync(os.tmpdir()).dev === dev ? os.tmpdir() : path.dirname(PROJECT_ROOT);
    base = fs.mkdtempSync(path.join(parent, 'clab-matrix-'));
    fs.chmodSync(base, 0o755);
    fs.mkdirSync(path.join(base, 'closed'), { mode: 0o700 });
    fs.chmodSync(path.join(base, 'closed'), 0o700);
    checkout = path.join(base, 'closed', 'checkout');
    fs.mkdirSync(checkout);
    for (const s of SOURCES) {
      fs.cpSync(path.join(PROJECT_ROOT, s), path.join(checkout, s), { recursive: true, filter: (src) => !/(^|\/)(node_modules|dist)(\/|$)/.test(path.relative(PROJECT_ROOT, src)) });
    }
    openUp(checkout);
    sh('cp', ['-al', path.join(PROJECT_ROOT, 'node_modules'), path.join(checkout, 'node_modules')]);
    // What the submissions score here, in this process (the checkout the tests run from). The
    // known mistake must score partial marks, so that a wrong zero cannot pass for its score.
    const partial = (r: GradeResult | null): boolean => r !== null && r.score > 0 && r.score < r.maxScore;
    const [reference, preferred] = await Promise.all([
      gradeFixture(null, { reference: EXERCISE_FILES }, { ...TEST_LIMITS, concurrency: 2 }),
      fs.existsSync(path.join(MISTAKES_DIR, PREFERRED_MISTAKE)) ? gradeFixture(`mistakes/${PREFERRED_MISTAKE}`, {}, TEST_LIMITS) : Promise.resolve(null),
    ]);
    assert.equal(reference.score, reference.maxScore, 'the reference scores full marks in this checkout');
    const candidates = [PREFERRED_MISTAKE, ...fs.readdirSync(MISTAKES_DIR).sort().filter((d) => d !== PREFERRED_MISTAKE)];
    let mistake: GradeResult | null = null;
    for (const dir of candidates) {
      if (!fs.existsSync(path.join(MISTAKES_DIR, dir))) continue;
      const r = dir === PREFERRED_MISTAKE ? preferred! : await gradeFixture(`mistakes/${dir}`, {}, TEST_LIMITS);
      if (partial(r)) {
        mistakeName = dir;
        mistake = r;
        break;
      }
    }
    assert.ok(mistake, 'no known-mistake fixture scores partial marks');
    baseline = { reference, mistake };
    // The submissions, outside every checkout, readable by all.
    const s = path.join(base, 'open', 'submissions');
    const refDir = path.join(s, 'dir', 'reference');
    const misDir = path.join(s, 'dir', 'mistake');
    fs.mkdirSync(refDir, { recursive: true });
    fs.mkdirSync(misDir, { recursive: true });
    const refFiles: Record<string, Uint8Array> = {};
    for (const f of EXERCISE_FILES) {
      fs.copyFileSync(path.join(PROJECT_ROOT, 'solutions', f), path.join(refDir, f));
      refFiles[`reference/exercises/${f}`] = fs.readFileSync(path.join(refDir, f));
    }
    const misFiles: Record<string, Uint8Array> = {};
    for (const f of fs.readdirSync(path.join(MISTAKES_DIR, mistakeName)).filter((x) => x.endsWith('.ts.txt'))) {
      const text = fs.readFileSync(path.join(MISTAKES_DIR, mistakeName, f), 'utf8');
      fs.writeFileSync(path.join(misDir, f.replace(/\.txt$/, '')), text);
      misFiles[`mistake/${f.replace(/\.txt$/, '')}`] = strToU8(text);
    }
    fs.mkdirSync(path.join(s, 'zips'));
    fs.writeFileSync(path.join(s, 'zips', 'reference.zip'), zipSync(refFiles));
    fs.writeFileSync(path.join(s, 'zips', 'mistake.zip'), zipSync(misFiles));
    openUp(s);
    subs = { dir: path.join(s, 'dir'), zips: path.join(s, 'zips') };
    setupSeconds = (Date.now() - t0) / 1000;
  });

  after(() => {
    const rows = CELLS.map((c) =>
      c.row
        ? `| (${c.id}) ${c.what} | ${c.row.reference} | ${c.row.mistake} | ${c.row.user} | ${c.row.seconds.toFixed(1)} s | ${c.row.cpu.toFixed(1)} |`
        : `| (${c.id}) ${c.what} | ${c.skipped ?? 'not run'} | | | | |`,
    );
    const expected = baseline ? `expected: reference ${baseline.reference.maxScore}/${baseline.reference.maxScore}, ${mistakeName} ${baseline.mistake.score}/${baseline.mistake.maxScore}` : '';
    process.stdout.write(
      ['', `deployment matrix (${expected}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all, of which set-up (copy, in-process baseline) ${setupSeconds.toFixed(0)} s; load average ${os.loadavg()[0].toFixed(1)})`, '| cell | reference | known mistake | sandbox user | wall | CPU-s |', '|---|---|---|---|---|---|', ...rows, ''].join('\n') + '\n',
    );
    if (process.env.CLAB_MATRIX_TABLE) fs.writeFileSync(process.env.CLAB_MATRIX_TABLE, rows.join('\n') + '\n');
    if (user !== null) {
      spawnSync('userdel', [user]);
      fs.rmSync(path.join(os.tmpdir(), `clab-grader-${userUid}`), { recursive: true, force: true });
      fs.rmSync(path.join(os.tmpdir(), `tsx-${userUid}`), { recursive: true, force: true });
    }
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  for (const cell of CELLS) {
    it(`(${cell.id}) ${cell.what}: the reference gets full marks and a known mistake its score`, function () {
      const missing = cell.asUser ? ['useradd', 'runuser'].find((c) => spawnSync(c, ['--help']).error !== undefined) : undefined;
      if ((cell.needsRoot && !isRoot) || missing) {
        cell.skipped = missing ? `skipped: no ${missing} here` : 'skipped: needs root';
        process.stderr.write(`\n  deployment matrix (${cell.id}) ${cell.what}: SKIPPED: ${missing ? `${missing} is not installed` : 'needs root (CI runs it as root)'}\n`);
        this.skip();
      }
      // Move the one copy of the checkout to this cell's place.
      const dest = path.join(base, cell.at);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      for (let d = path.dirname(dest); d !== base && d.startsWith(base); d = path.dirname(d)) if (!d.includes(`${path.sep}closed`)) fs.chmodSync(d, 0o755);
      fs.renameSync(checkout, dest);
      checkout = dest;
      const out = path.join(base, 'open', `out-${cell.id}`);
      fs.mkdirSync(out, { recursive: true });
      let prefix: string[] = [];
      if (cell.asUser) {
        user = `clabm${randomBytes(3).toString('hex')}`;
        sh('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
        userUid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
        sh('chown', ['-R', `${user}:`, out]); // a fresh folder: never chown what is hard-linked
        prefix = ['runuser', '-u', user, '--'];
      }
      const argv = [...prefix, process.execPath, path.join(checkout, 'grader', 'bin', 'clab-grade.js'), 'grade-all', cell.zip ? subs.zips : subs.dir, '--out', out, '--no-typecheck', '--jobs', '2'];
      const started = Date.now();
      const cpu0 = reapedCpu();
      // The secret as CI hands it over: in the environment (runuser keeps it for the other user).
      const r = spawnSync(argv[0], argv.slice(1), { cwd: checkout, encoding: 'utf8', timeout: 300000, env: { ...process.env, TMPDIR: os.tmpdir(), [SECRET_ENV]: SECRET.toString('hex') } });
      const seconds = (Date.now() - started) / 1000;
      // The CLI's own CPU (reaped) plus its sandboxed children's (killed, not reaped: it reports them).
      const cpu = reapedCpu() - cpu0 + Number(/sandboxed children used ([\d.]+) CPU-s/.exec(r.stdout)?.[1] ?? 0);
      const log = `exit ${r.status}\n${r.stdout}\n${r.stderr}`;
      assert.equal(r.status, 0, log);
      const row = (name: string) => JSON.parse(fs.readFileSync(path.join(out, name, 'grade.json'), 'utf8')) as GradebookRow;
      const results = (name: string) => JSON.parse(fs.readFileSync(path.join(out, name, 'results.json'), 'utf8')) as { output: string; tests: Array<{ output: string }> };
      const ref = row('reference');
      const mis = row('mistake');
      const sandboxUser = /; user (.*?); V8 heap/.exec(results('reference').output)?.[1] ?? '?';
      cell.row = { reference: points(ref), mistake: points(mis), user: sandboxUser.length > 60 ? `${sandboxUser.slice(0, 57)}...` : sandboxUser, seconds, cpu };
      assert.equal(ref.score, baseline.reference.maxScore, `reference: ${points(ref)}\n${log}`);
      assert.equal(ref.maxScore, baseline.reference.maxScore);
      assert.equal(mis.score, baseline.mistake.score, `${mistakeName}: ${points(mis)}\n${log}`);
      assert.equal(mis.maxScore, baseline.mistake.maxScore);
      // Graded on fresh inputs from the secret in the environment, in every cell.
      for (const x of [ref, mis]) assert.equal(x.inputs?.secret, secretFingerprint(SECRET), JSON.stringify(x.inputs));
      // The mistake is still named, as in this checkout.
      const named = new Set(baseline.mistake.exercises.flatMap((e) => e.tests).map((t) => t.knownMistake).filter((m): m is string => m !== null));
      assert.ok(named.size > 0);
      const text = results('mistake').tests.map((t) => t.output).join('\n');
      for (const m of named) assert.ok(text.includes(`This looks like a known mistake: ${m}`), m);
      assert.match(r.stderr + r.stdout, /gradebook: /);
      if (cell.id === 'a') {
        // Root with a user switch: the packages nobody cannot reach were staged (or, without setpriv, not needed).
        assert.match(sandboxUser, /^nobody \(setpriv\); packages staged in |^root: setpriv unavailable/, sandboxUser);
      }
      if (cell.asUser) assert.match(sandboxUser, /^same user as the grader/);
    });
  }
});
