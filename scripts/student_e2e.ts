/**
 * End-to-end student test (a step of `npm test`): release the student repository, clone it, and
 * act as a student in the clone, with the commands the student README gives:
 *
 *   1. `release` into a temp folder nobody can traverse (the grader's sandbox user reads it), commit
 *      it as a git repository and clone it (what a student gets);
 *   2. `npm ci --offline` in the clone, from the npm cache the main install filled (timed);
 *   3. `npm test` (the student's: set-up, course files verified, type-check, public score per
 *      exercise, notebooks 01 and 02, whose check cells run the grader in the release) and
 *      `npm start -- --check`;
 *   4. ex03 and ex04: `npm run check` on the stubs (0 points, "not implemented yet"), on known
 *      mistakes (named), and on the fixes (full marks);
 *   5. the instructor makes a secret (`clab-grade secret`) and grades with it (`grade --json
 *      --manifest --secret`): the clone and a zip of its exercises/ get the same fresh inputs and
 *      agree test by test (points, status, feedback, seeds); on the public tests the grade gives
 *      the student's last `check` its points and status on new inputs (every seed differs from
 *      check's), and a snapshot of the known mistakes gets the same pass/fail pattern and named
 *      mistakes as the student's `check` of them; the clone's course files are verified against
 *      the instructor's copy of the release manifest, the zip has none to verify.
 *
 * Notebooks 03 and 04 are not run again in the release (about 9 minutes of CI): the release's
 * copies are asserted byte-identical to this repository's, which `npm test` runs.
 *
 *   npx tsx scripts/student_e2e.ts [--keep]     (--keep: leave the temp folder and print it)
 *
 * Writes the student's transcript (commands and what they printed) to out/student-transcript.md.
 * Exit 0 when every check holds, 1 otherwise (the failed check and the output it read are printed).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import type { GraderResult } from '../lib/notebook/grader_result';
import { parseGraderResult } from '../lib/notebook/parse_grader_result';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'grader', 'bin', 'clab-grade.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  cpu: number;
}

/** CPU seconds of this process's finished (waited-for) descendants, from /proc/self/stat. */
function childCpu(): number {
  try {
    const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime (fields 16, 17), clock ticks
  } catch {
    return NaN;
  }
}

/** npm's own variables from the outer `npm test` would leak into the student's npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_(?!config_cache$)/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
}

function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  const t0 = Date.now();
  const c0 = childCpu();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - t0) / 1000, cpu: childCpu() - c0 }));
  });
}

const transcript: string[] = [];
const timings: Array<[string, number, number]> = [];
const failures: string[] = [];

/** Runs a command a student (or the instructor) types, records it in the transcript and the timings. */
async function type(label: string, cwd: string, shown: string, cmd: string, args: string[], show: 'stdout' | 'stderr' | 'both' = 'both'): Promise<Run> {
  console.log(`[e2e] $ ${shown}`);
  const r = await run(cmd, args, cwd);
  timings.push([label, r.seconds, r.cpu]);
  const out = show === 'stdout' ? r.stdout : show === 'stderr' ? r.stderr : `${r.stdout}${r.stderr}`;
  transcript.push(`$ ${shown}`, out.replace(/\x1b\[[0-9;]*m/g, '').trimEnd(), `(exit ${r.code}, ${r.seconds.toFixed(1)} s)`, '');
  console.log(`[e2e]   exit ${r.code} in ${r.seconds.toFixed(1)} s (${r.cpu.toFixed(1)} CPU-s)`);
  return r;
}

function expect(ok: boolean, what: string, evidence = ''): void {
  if (ok) {
    console.log(`[e2e]   ok: ${what}`);
  } else {
    failures.push(what);
    console.log(`[e2e]   FAILED: ${what}${evidence ? `\n${evidence.trimEnd().split('\n').slice(-40).join('\n')}` : ''}`);
  }
}

/** One test as `npm run check` prints it: status, points, name, failing feedback, the seed of its inputs. */
interface Line {
  status: 'passed' | 'failed';
  score: number;
  maxScore: number;
  name: string;
  feedback: string[];
  seed?: number;
}

function parseCheck(text: string): { tests: Line[]; total: string } {
  const tests: Line[] = [];
  let total = '';
  let seeds: number[] = [];
  for (const line of text.split('\n')) {
    const sd = /^ {2}seeds: ([\d, ]+)$/.exec(line);
    if (sd) seeds = sd[1].split(', ').map(Number);
    const t = /^ {2}(PASS|FAIL) +([\d.]+)\/([\d.]+) {2}(.*)$/.exec(line);
    if (t) tests.push({ status: t[1] === 'PASS' ? 'passed' : 'failed', score: Number(t[2]), maxScore: Number(t[3]), name: t[4], feedback: [], seed: seeds.shift() });
    const f = /^ {13}\| (.*)$/.exec(line);
    if (f && !f[1].startsWith('your code printed: ') && tests.length > 0) tests[tests.length - 1].feedback.push(f[1]);
    const s = /^TOTAL ([\d.]+\/[\d.]+)/.exec(line);
    if (s) total = s[1];
  }
  return { tests, total };
}

function parseJson(text: string, what: string): GraderResult | null {
  try {
    return parseGraderResult(text);
  } catch (e) {
    expect(false, `${what} prints one clab-grade/result@1 document on stdout (${(e as Error).message})`, text.slice(0, 2000));
    return null;
  }
}

function copyFixture(from: string, to: string): void {
  fs.copyFileSync(path.join(ROOT, from), to);
}

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep');
  const tAll = Date.now();
  const cAll = childCpu();
  // mkdtemp makes a 0700 folder; the sandbox child runs as `nobody` and must traverse it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-student-e2e-'));
  fs.chmodSync(tmp, 0o755);
  const release = path.join(tmp, 'release');
  const clone = path.join(tmp, 'student');
  console.log(`[e2e] temp folder ${tmp} (0755, traversable by the sandbox user)`);
  try {
    // 1. The instructor releases; the release becomes a repository; the student clones it.
    const rel = await type('release', ROOT, `npm run release -- ${release}`, process.execPath, [CLI, 'release', release]);
    expect(rel.code === 0, 'release exits 0', rel.stderr);
    const manifest = `${release}.manifest.json`;
    expect(fs.existsSync(manifest) && rel.stdout.includes(`yours is ${manifest}`), "release writes the instructor's copy of the manifest beside the release and says where", rel.stdout);
    for (const f of ['03-simclr.ipynb', '04-moco.ipynb']) {
      const same = fs.readFileSync(path.join(release, 'notebooks', f)).equals(fs.readFileSync(path.join(ROOT, 'notebooks', f)));
      expect(same, `notebooks/${f} in the release is byte-identical to the one npm test runs here (so it is not run again)`);
    }
    const git = (args: string[], cwd: string) => run('git', ['-c', 'user.name=course', '-c', 'user.email=course@example.invalid', '-c', 'init.defaultBranch=main', ...args], cwd);
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'student release']]) {
      const g = await git(args, release);
      expect(g.code === 0, `git ${args[0]} in the release`, g.stderr);
    }
    const cl = await type('git clone', tmp, `git clone <the course's student repository> student`, 'git', ['clone', '-q', release, clone]);
    expect(cl.code === 0, 'the release clones', cl.stderr);

    // 2. A fresh install, offline from the npm cache.
    const ci = await type('npm ci (offline)', clone, 'npm ci', 'npm', ['ci', '--offline', '--no-audit', '--no-fund']);
    expect(ci.code === 0, 'npm ci --offline works in the fresh clone', ci.stderr);

    // 3. npm test and npm start, as the README says.
    const test = await type('npm test', clone, 'npm test', 'npm', ['test']);
    expect(test.code === 0, "the fresh release passes its own npm test (stubs unimplemented)", test.stdout + test.stderr);
    expect(/^course files: verified \(all \d+ as released/m.test(test.stdout), 'npm test says the course files are verified against the release manifest', test.stdout);
    for (const [id, max] of [['ex03', 7], ['ex04', 4]] as const) {
      expect(new RegExp(`\\[test\\] {3}${id} .* 0/${max} {2}not implemented yet`).test(test.stdout), `npm test reports ${id} at 0/${max}, not implemented yet`, test.stdout);
    }
    expect(/PASS {2}notebooks\/01-contrastive-learning\.ipynb/.test(test.stdout) && /PASS {2}notebooks\/02-infonce-bound\.ipynb/.test(test.stdout), 'notebooks 01 and 02 run in the release', test.stdout);
    expect(/skipping notebooks\/03-simclr\.ipynb .*skipping notebooks\/04-moco\.ipynb/s.test(test.stdout), 'npm test names the slow notebooks it skips', test.stdout);
    const executed = path.join(clone, 'out', 'notebooks', '02-infonce-bound.ipynb');
    const shown = fs.existsSync(executed) ? fs.readFileSync(executed, 'utf8') : '';
    expect(shown.includes('ex03 The InfoNCE bound (exercises/ex03-infonce-bound.ts): 0 / 7 points') && shown.includes('not implemented yet'), "notebook 02's check cell shows ex03 at 0 / 7 in the release", shown.slice(-3000));
    const start = await type('npm start -- --check', clone, 'npm start -- --check', 'npm', ['start', '--', '--check']);
    expect(start.code === 0 && /\[start\] ready: http/.test(start.stdout), 'npm start works in the fresh clone (server up, a TypeScript cell ran)', start.stdout + start.stderr);

    // 4. The student works on ex03 and ex04.
    const ex = (f: string) => path.join(clone, 'exercises', f);
    const check = (label: string) => type(label, clone, 'npm run check -- --only ex03,ex04', 'npm', ['run', '--silent', 'check', '--', '--only', 'ex03,ex04'], 'stdout');
    const stub = await check('check: stubs');
    const s = parseCheck(stub.stdout);
    expect(stub.code === 1 && s.total === '0/11' && s.tests.length > 0 && s.tests.every((t) => t.score === 0 && t.feedback.some((l) => l.includes('not implemented yet'))), 'the stubs check at 0/11, every test "not implemented yet"', stub.stdout);

    copyFixture('grader/fixtures/mistakes/ex03-variance-1/ex03-infonce-bound.ts.txt', ex('ex03-infonce-bound.ts'));
    copyFixture('grader/fixtures/mistakes/ex04-self-similarity/ex04-nt-xent.ts.txt', ex('ex04-nt-xent.ts'));
    const wrong = await check('check: known mistakes');
    const w = parseCheck(wrong.stdout);
    const named = (re: RegExp) => w.tests.some((t) => t.feedback.some((l) => re.test(l)));
    expect(wrong.code === 1 && named(/This looks like a known mistake: .*variance/i) && named(/This looks like a known mistake: .*self/i), 'the known mistakes are named (variance 1 in ex03, self-similarity in ex04)', wrong.stdout);
    const wrongScore = Number(w.total.split('/')[0]);
    expect(wrongScore > 0 && wrongScore < 11, `a known mistake earns part of the points (${w.total})`, wrong.stdout);
    // The instructor grades this state too (below): a snapshot of the exercise files.
    const mistakes = path.join(tmp, 'mistakes');
    fs.cpSync(path.join(clone, 'exercises'), path.join(mistakes, 'exercises'), { recursive: true });

    copyFixture('solutions/ex03-infonce-bound.ts', ex('ex03-infonce-bound.ts'));
    copyFixture('solutions/ex04-nt-xent.ts', ex('ex04-nt-xent.ts'));
    const fixed = await check('check: fixed');
    const f = parseCheck(fixed.stdout);
    expect(fixed.code === 0 && f.total === '11/11' && f.tests.every((t) => t.status === 'passed'), 'the fixes reach full marks (11/11, exit 0)', fixed.stdout);

    // 5. The instructor grades the folder and its zip; both agree with the student's check.
    const zip = path.join(tmp, 'submission.zip');
    let zipShown = `cd student && zip -r ../submission.zip exercises`;
    if (fs.existsSync('/usr/bin/zip')) {
      const z = await type('zip', clone, zipShown, 'zip', ['-qr', zip, 'exercises']);
      expect(z.code === 0, 'zip -r submission.zip exercises', z.stderr);
    } else {
      zipShown += '   (no zip here: the same archive written with fflate)';
      const entries: Record<string, Uint8Array> = {};
      for (const n of fs.readdirSync(path.join(clone, 'exercises'))) entries[`exercises/${n}`] = fs.readFileSync(path.join(clone, 'exercises', n));
      fs.writeFileSync(zip, zipSync(entries));
      transcript.push(`$ ${zipShown}`, '');
    }
    fs.chmodSync(zip, 0o644);
    // The instructor's secret: every graded input is drawn from it and the submission's files.
    const secret = path.join(tmp, 'instructor-secret.txt');
    const made = await type('secret', ROOT, 'node grader/bin/clab-grade.js secret --out instructor-secret.txt   (instructor, once per course)', process.execPath, [CLI, 'secret', '--out', secret], 'stdout');
    expect(made.code === 0 && fs.existsSync(secret), 'clab-grade secret makes the instructor secret', made.stdout + made.stderr);
    const grade = (label: string, target: string, shown: string) =>
      type(label, ROOT, `npm run grade -- ${shown} --json --only ex03,ex04 --manifest release.manifest.json --secret instructor-secret.txt   (instructor; the table below is its stderr, the JSON on stdout is compared)`, process.execPath, [CLI, 'grade', target, '--json', '--only', 'ex03,ex04', '--manifest', manifest, '--secret', secret, '--out', path.join(tmp, `grade-${label.replace(/\W+/g, '-')}`)], 'stderr');
    const [gDir, gZip] = await Promise.all([grade('grade folder', clone, 'student'), grade('grade zip', zip, 'submission.zip')]);
    const gWrong = await grade('grade known mistakes', mistakes, 'mistakes');
    const rd = parseJson(gDir.stdout, 'grade <folder> --json');
    const rz = parseJson(gZip.stdout, 'grade <zip> --json');
    const rw = parseJson(gWrong.stdout, 'grade <known mistakes> --json');
    const publicTests = (r: GraderResult) => r.exercises.flatMap((e) => e.tests.filter((t) => t.visibility === 'public'));
    /** Each public test of a grade beside the student's check of the same files: same name, points and status, the same named mistake, other inputs. */
    const likeCheck = (r: GraderResult, c: Line[]): boolean => {
      const pub = publicTests(r);
      const named = (l: string[]) => /This looks like a known mistake: (.+?)\. /.exec(l.join('\n'))?.[1] ?? null;
      return pub.length === c.length && pub.every((t, i) => c[i].name === t.name && c[i].score === t.score && c[i].maxScore === t.maxScore && c[i].status === t.status && named(c[i].feedback) === t.knownMistake && c[i].seed !== undefined && t.seed !== c[i].seed);
    };
    if (rd && rz && rw) {
      expect(rd.courseFiles?.status === 'verified' && rz.courseFiles?.status === 'no-course-files', "against the instructor's manifest the clone's course files are verified (after npm test, npm start and the checks), the zip of exercises/ has none", JSON.stringify({ folder: rd.courseFiles, zip: rz.courseFiles }));
      const strip = (r: GraderResult) => r.exercises.map((e) => ({ id: e.id, score: e.score, tests: e.tests.map((t) => ({ name: t.name, visibility: t.visibility, score: t.score, status: t.status, feedback: t.feedback, seed: t.seed })) }));
      expect(rd.inputs?.secret != null && rd.inputs.digest === rz.inputs?.digest && JSON.stringify(strip(rd)) === JSON.stringify(strip(rz)), 'grade of the folder and of its zip meet the same fresh inputs (one digest, one secret) and agree test by test (points, status, feedback, seeds)', `${gDir.stdout.slice(0, 1500)}\n---\n${gZip.stdout.slice(0, 1500)}`);
      const hidden = rd.exercises.flatMap((e) => e.tests.filter((t) => t.visibility === 'hidden'));
      expect(hidden.length > 0, `grade also ran the hidden tests (${hidden.length})`);
      expect(likeCheck(rd, f.tests), `on all ${publicTests(rd).length} public tests the instructor's grade gives the student's fixed work what check gave it, on inputs check never showed (every seed differs)`, JSON.stringify({ grade: publicTests(rd), check: f.tests }, null, 1).slice(0, 3000));
      expect(rw.inputs?.digest !== rd.inputs?.digest && likeCheck(rw, w.tests), `on the known mistakes the grade's public tests pass and fail as check's did and name the same mistakes, on new inputs (${rw.score}/${rw.maxScore} with the hidden tests)`, JSON.stringify({ grade: publicTests(rw), check: w.tests }, null, 1).slice(0, 3000));
    }
  } finally {
    const total = (Date.now() - tAll) / 1000;
    const cpu = childCpu() - cAll;
    console.log(`[e2e] timings (wall s / CPU-s of the commands, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
    for (const [label, s, c] of timings) console.log(`[e2e]   ${label.padEnd(24)} ${s.toFixed(1).padStart(6)} s ${c.toFixed(1).padStart(7)} CPU-s`);
    console.log(`[e2e]   ${'total'.padEnd(24)} ${total.toFixed(1).padStart(6)} s ${cpu.toFixed(1).padStart(7)} CPU-s`);
    const file = path.join(ROOT, 'out', 'student-transcript.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, ['# Student transcript (scripts/student_e2e.ts)', '', '```', ...transcript, '```', ''].join('\n'));
    console.log(`[e2e] transcript: ${path.relative(process.cwd(), file)}`);
    if (keep) console.log(`[e2e] kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? '[e2e] all checks hold' : `[e2e] ${failures.length} check(s) FAILED:\n${failures.map((x) => `[e2e]   ${x}`).join('\n')}`);
  return failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`[e2e] internal error: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
