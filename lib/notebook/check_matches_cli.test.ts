import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DisplayMessage, setDisplaySink } from '../display/display_bundle';
import { check } from './check';
import { GRADER_BIN } from './run_grader_check';
import { projectRoot } from './project_root';

const ROOT = projectRoot();

/** What `npm run check` prints per test: status, points, name, and the failing feedback lines. */
interface TerminalTest {
  status: 'PASS' | 'FAIL';
  points: string;
  name: string;
  feedback: string[];
}

function parseTerminal(text: string): { tests: TerminalTest[]; total: string } {
  const tests: TerminalTest[] = [];
  let total = '';
  for (const line of text.split('\n')) {
    const t = /^ {2}(PASS|FAIL) +(\d+(?:\.\d+)?\/\d+(?:\.\d+)?) {2}(.*)$/.exec(line);
    if (t) tests.push({ status: t[1] as 'PASS' | 'FAIL', points: t[2], name: t[3], feedback: [] });
    const f = /^ {13}\| (.*)$/.exec(line);
    // The terminal also shows what the student's code printed; the JSON result does not carry it.
    if (f && !f[1].startsWith('your code printed: ')) tests[tests.length - 1].feedback.push(f[1]);
    const s = /^TOTAL (\d+(?:\.\d+)?\/\d+(?:\.\d+)?)/.exec(line);
    if (s) total = s[1];
  }
  return { tests, total };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [path.join(ROOT, GRADER_BIN), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, stdout: out }));
  });
}

describe("check() in a notebook shows what `npm run check` prints for the same submission", function () {
  this.timeout(240000);
  let dir: string;
  before(() => {
    // The sandbox user (nobody) must be able to traverse the submission folder.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-check-cli-'));
    fs.chmodSync(dir, 0o755);
    // ex03: the "sum instead of mean" mistake (partial marks, a named mistake); ex04: the stub.
    fs.copyFileSync(path.join(ROOT, 'grader', 'fixtures', 'mistakes', 'ex03-sum', 'ex03-infonce-bound.ts.txt'), path.join(dir, 'ex03-infonce-bound.ts'));
    fs.copyFileSync(path.join(ROOT, 'exercises', 'ex04-nt-xent.ts'), path.join(dir, 'ex04-nt-xent.ts'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("check(['ex03', 'ex04'], {dir}) has the terminal's points, statuses, feedback and total, and names the known mistake", async () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    let terminal;
    try {
      [terminal] = await Promise.all([run(['check', dir, '--only', 'ex03,ex04']), check(['ex03', 'ex04'], { dir })]);
    } finally {
      setDisplaySink(null);
    }
    assert.equal(terminal.code, 1, 'not full marks: exit 1');
    const cli = parseTerminal(terminal.stdout);
    assert.equal(cli.tests.length >= 6, true, `parsed ${cli.tests.length} tests from:\n${terminal.stdout}`);
    assert.equal(cli.total, '2/11', 'ex03-sum scores 2 of 7, the ex04 stub 0 of 4');
    const shown = seen[seen.length - 1].data;
    const text = String(shown['text/plain']);
    const html = String(shown['text/html']);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const t of cli.tests) {
      assert.ok(text.includes(`  ${t.status} ${t.points.padStart(5)}  ${t.name}`), `text: ${t.name}`);
      const row = html.split('<tr>').find((tr) => tr.includes(`>${esc(t.name)}</td>`));
      assert.ok(row, `html row: ${t.name}`);
      assert.ok(row.includes(`>${t.points.replace('/', ' / ')}</td>`), `html points: ${t.name}`);
      assert.ok(row.includes(t.status === 'PASS' ? '✔ passed' : '✘ failed'), `html status: ${t.name}`);
      if (t.feedback.length > 0) {
        assert.ok(text.includes(t.feedback.map((l) => `             | ${l}`).join('\n')), `text feedback: ${t.name}`);
        assert.ok(row.includes(esc(t.feedback.join('\n'))), `html feedback: ${t.name}`);
      }
      const mistake = /This looks like a known mistake: ([^.]+)\./.exec(t.feedback.join('\n'))?.[1];
      if (mistake !== undefined) assert.ok(row.includes(`>${esc(mistake)}</td>`), `html known mistake column: ${t.name}`);
    }
    assert.ok(html.includes('>sum instead of mean</td>'));
    assert.ok(text.includes(`Total ${cli.total.replace('/', ' / ')} points on the public tests.`));
  });
});
