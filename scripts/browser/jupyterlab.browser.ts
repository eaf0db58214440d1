import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from './launch_chromium';
import { runAllInLab, type RunAllResult } from './run_all_in_lab';
import { startLab, type RunningLab } from './start_lab';
import { parseGraderResult } from '../../lib/notebook/parse_grader_result';
import { GRADER_BIN } from '../../lib/notebook/run_grader_check';

// The course as a student meets it: JupyterLab started by the project's start script, with the
// settings set-up gives it, opened in headless Chromium (offline: any request to another host is
// blocked and recorded), each notebook run with Run > Run All Cells. Runs on copies; the
// committed notebooks are checked unchanged. Screenshots: out/browser/.
//
// CLAB_BROWSER_ONLY (comma-separated) runs a part: notebook file names, `errors` (the scratch
// notebook with a failing cell and a type error) and `check` (clab.check in a cell); `npm test`
// runs the training notebooks as jobs of their own. CLAB_BROWSER_EXECUTED_DIR: where the executed
// notebooks are saved (default out/browser/notebooks; `npm test` saves 03 and 04 to out/notebooks
// for the course site, instead of running them a second time headless).
const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'out', 'browser');
const NOTEBOOKS = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
const PARTS = [...NOTEBOOKS, 'errors', 'check'];
const ONLY = (process.env.CLAB_BROWSER_ONLY ?? '').split(',').filter(Boolean);
for (const part of ONLY) if (!PARTS.includes(part)) throw new Error(`CLAB_BROWSER_ONLY: unknown part ${part}; the parts are ${PARTS.join(', ')}`);
const runs = (part: string) => ONLY.length === 0 || ONLY.includes(part);
const EXECUTED = path.resolve(process.env.CLAB_BROWSER_EXECUTED_DIR || path.join(SHOTS, 'notebooks'));
const SCRATCH = 'scratch-errors.ipynb';
/** Run All may take this long: the training notebooks run for minutes on a busy 2-core machine. */
const RUN_ALL_MS = 1_200_000;

const code = (source: string) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });
const KERNELSPEC = { name: 'clab-typescript', display_name: 'TypeScript', language: 'typescript' };
const SCRATCH_NOTEBOOK = {
  cells: [
    code("import * as clab from '../dist/lib';\nconst fine: number = 6 * 7;\nconsole.log(`fine ${fine}`);"),
    // Two charts for the chart check itself: no data (axes only), and two filled points.
    code(
      "const axes = {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}};\n" +
        "await clab.display.show({data: {values: []}, mark: 'point', encoding: axes} as any);\n" +
        "await clab.display.show({data: {values: [{x: 0, y: 0}, {x: 1, y: 1}]}, mark: {type: 'point', filled: true, size: 400}, encoding: axes} as any);",
    ),
    // Seconds of work with a cell queued behind it: the status bar must say Busy all along.
    code('await new Promise((r) => setTimeout(r, 4000));'),
    code("\nthrow new Error('deliberate failure from the browser suite');"),
    code("console.log('this cell must not run after the failure');"),
    code("const typed: number = 'not a number';"),
  ],
  metadata: { kernelspec: KERNELSPEC, language_info: { name: 'typescript' } },
  nbformat: 4,
  nbformat_minor: 4,
};

const CHECK = 'scratch-check.ipynb';
const CHECK_NOTEBOOK = {
  ...SCRATCH_NOTEBOOK,
  cells: [code("import * as clab from '../dist/lib';"), code("await clab.check('ex03');")],
};

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const stem = (nb: string) => nb.replace(/\.ipynb$/, '');
const notebookText = (s: string | string[]) => (Array.isArray(s) ? s.join('') : s);

async function shutDownKernel(lab: RunningLab, name: string): Promise<void> {
  const headers = { Authorization: `token ${lab.token}` };
  const sessions = (await (await fetch(`${lab.base}/api/sessions`, { headers })).json()) as { id: string; path: string }[];
  for (const s of sessions.filter((x) => x.path === name)) await fetch(`${lab.base}/api/sessions/${s.id}`, { method: 'DELETE', headers });
}

/** Removes this run's earlier screenshots (other parts may be running beside it: their files stay). */
function clearShots(stems: string[]): void {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (stems.some((s) => f.startsWith(`${s}-`) && f.endsWith('.png'))) fs.rmSync(path.join(SHOTS, f));
}

describe('JupyterLab in Chromium: the notebooks as a student runs them', function () {
  this.timeout(RUN_ALL_MS + 600_000);
  let lab: RunningLab | undefined;
  let browser: LaunchedChromium | undefined;
  const notebooks = NOTEBOOKS.filter(runs);
  const committed = new Map<string, string>();
  const log = `jupyterlab${ONLY.length ? `-${ONLY.map(stem).join('-')}` : ''}.log`;

  before(async function () {
    for (const nb of notebooks) committed.set(nb, sha(path.join(ROOT, 'notebooks', nb)));
    clearShots([...notebooks.map(stem), ...(runs('errors') ? ['scratch'] : []), ...(runs('check') ? ['check'] : [])]);
    const extra: Record<string, unknown> = {};
    if (runs('errors')) extra[SCRATCH] = SCRATCH_NOTEBOOK;
    if (runs('check')) extra[CHECK] = CHECK_NOTEBOOK;
    lab = await startLab({ notebooks, extra });
    browser = await launchChromium({ offline: true });
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    await lab?.stop();
    if (lab) fs.writeFileSync(path.join(SHOTS, log), lab.log());
  });

  for (const nb of notebooks) {
    describe(nb, function () {
      let run: RunAllResult;

      before(async function () {
        run = await runAllInLab(browser!.context, lab!, nb, { screenshotDir: SHOTS, timeoutMs: RUN_ALL_MS, saveTo: EXECUTED });
        const busy = run.statusWhileRunning.filter((s) => /Busy/.test(s)).length;
        console.log(`      (Run All took ${run.seconds.toFixed(1)}s; while cells ran the status bar said Busy in ${busy} of ${run.statusWhileRunning.length} samples; saved ${path.relative(ROOT, run.saved!)})`);
        await shutDownKernel(lab!, nb);
      });

      it(`Run All Cells runs every code cell: the last one shows its execution count`, function () {
        const { prompts } = run.seen;
        assert.ok(prompts.length > 0, 'the notebook has code cells');
        assert.ok(run.finished, `prompts after the run: ${prompts.join(' ')}`);
        // Run All numbers the cells 1..n in order in a fresh kernel.
        assert.deepEqual(prompts, prompts.map((_, i) => `[${i + 1}]:`));
      });

      it('the status bar says "TypeScript | Busy" while cells run, until the last one is done', function () {
        const samples = run.statusWhileRunning;
        assert.ok(samples.length >= 3, `only ${samples.length} samples while cells ran`);
        // Between two cells the kernel sends idle and, at once, busy for the next; a sample may
        // fall into that instant, but not into more than a few of them.
        const other = samples.filter((s) => !/^TypeScript \| Busy$/.test(s));
        assert.ok(other.length <= Math.max(1, samples.length / 20), `${other.length} of ${samples.length} samples did not say Busy: ${[...new Set(other)].join(', ')}`);
      });

      it('every vega-lite output is drawn (SVG or canvas) with marks in it', function () {
        const { charts } = run.seen;
        assert.ok(charts.length > 0, 'the notebook shows vega-lite charts');
        const blank = charts.filter((c) => c.drawnAs === 'none' || c.marks === 0 || c.width < 50 || c.height < 50);
        assert.deepEqual(blank, [], `charts drawn without marks (see ${SHOTS}/${stem(nb)}-chart-*.png)`);
      });

      it('shows no error output and nothing on stderr', function () {
        assert.deepEqual(run.seen.problems, []);
      });

      it('leaves no raw TeX in rendered markdown: MathJax typeset every formula', function () {
        assert.deepEqual(run.seen.rawTex, []);
        assert.ok(run.seen.typeset > 0, 'MathJax typeset the formulas');
      });

      it('shows the TypeScript kernel, and nothing a student must dismiss first (no news prompt, no dialog)', function () {
        assert.equal(run.seen.kernel, 'TypeScript');
        assert.match(run.seen.status, /^TypeScript \| /);
        assert.deepEqual(run.seen.notices, []);
      });

      it('saves the executed notebook: the committed cells, each run, with their outputs (what the course site shows)', function () {
        const saved = JSON.parse(fs.readFileSync(run.saved!, 'utf8')) as { cells: { cell_type: string; source: string | string[]; execution_count?: number | null; outputs?: unknown[] }[] };
        const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', nb), 'utf8')) as typeof saved;
        assert.deepEqual(saved.cells.map((c) => [c.cell_type, notebookText(c.source)]), source.cells.map((c) => [c.cell_type, notebookText(c.source)]));
        const code = saved.cells.filter((c) => c.cell_type === 'code');
        assert.deepEqual(code.map((c) => c.execution_count), code.map((_, i) => i + 1));
        assert.ok(code.some((c) => (c.outputs ?? []).length > 0));
      });
    });
  }

  (runs('errors') ? describe : describe.skip)(`a cell that throws (${SCRATCH}, made by this test)`, function () {
    let page: Page;
    let run: RunAllResult;

    before(async function () {
      run = await runAllInLab(browser!.context, lab!, SCRATCH, { screenshotDir: SHOTS, stem: 'scratch' });
      page = run.page;
    });

    it('the chart check tells a drawn chart from an empty one: no data gives 0 marks, two points give some', function () {
      const [empty, points] = run.seen.charts;
      assert.equal(run.seen.charts.length, 2, JSON.stringify(run.seen.charts));
      assert.equal(empty.marks, 0, JSON.stringify(empty));
      assert.ok(points.marks > 0, JSON.stringify(points));
    });

    it('while a cell works for seconds with another queued behind it, the status bar says Busy', function () {
      // The 4 s cell alone gives about 16 samples; at most one may fall between two cells.
      assert.ok(run.statusWhileRunning.length >= 8, `${run.statusWhileRunning.length} samples`);
      assert.ok(run.statusWhileRunning.filter((s) => /Idle/.test(s)).length <= 1, run.statusWhileRunning.join(', '));
    });

    it('shows the error under the failing cell, with the line and column in the cell it came from', async function () {
      const failing = page.locator('.jp-Notebook .jp-Cell').nth(3);
      const shown = failing.locator('.jp-OutputArea-output');
      await shown.first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = await shown.allTextContents().then((t) => t.join('\n'));
      assert.match(text, /deliberate failure from the browser suite/);
      // The throw is on the cell's second line (the first is empty), at column 7.
      assert.match(text, /at In\[4\]:2:7/);
      assert.ok(run.seen.problems.some((p) => p.cell === 3), JSON.stringify(run.seen.problems));
      await failing.screenshot({ path: path.join(SHOTS, 'scratch-error-cell.png') });
    });

    it('Run All stops at the failing cell: the cells after it do not run', function () {
      assert.equal(run.finished, false);
      assert.deepEqual(run.seen.prompts, ['[1]:', '[2]:', '[3]:', '[4]:', '[ ]:', '[ ]:']);
    });

    it('a type error shows the compiler message (TS2322) under its cell (Shift-Enter)', async function () {
      const cell = page.locator('.jp-Notebook .jp-Cell').nth(5);
      await cell.locator('.jp-InputArea-editor').click();
      await page.keyboard.press('Shift+Enter');
      const out = cell.locator('.jp-OutputArea-output');
      await out.first().waitFor({ state: 'visible', timeout: 60_000 });
      const text = await out.allTextContents().then((t) => t.join('\n'));
      assert.match(text, /TS2322: Type 'string' is not assignable to type 'number'/);
      assert.match(text, /at In\[5\]:1:7/);
      await cell.screenshot({ path: path.join(SHOTS, 'scratch-type-error-cell.png') });
    });
  });

  (runs('check') ? describe : describe.skip)(`await clab.check('ex03') in a cell (${CHECK}, made by this test)`, function () {
    it('shows the grader result as an HTML table, test by test with the same points and total as the CLI\'s --json', async function () {
      const run = await runAllInLab(browser!.context, lab!, CHECK, { screenshotDir: SHOTS, stem: 'check' });
      assert.ok(run.finished, `prompts: ${run.seen.prompts.join(' ')}`);
      const shown = run.page.locator('.jp-OutputArea-output .clab-check');
      await shown.waitFor({ state: 'visible', timeout: 30_000 });
      await shown.screenshot({ path: path.join(SHOTS, 'check-in-jupyterlab.png') });
      const rows = await shown.locator('table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
      );
      const total = ((await shown.locator('p b').first().textContent()) ?? '').trim();
      await shutDownKernel(lab!, CHECK);
      // The same exercises, as the terminal command runs them now.
      // Exit 1 when a test fails (the stubs fail them all); the document is on stdout either way.
      const res = spawnSync(process.execPath, [path.join(ROOT, GRADER_BIN), 'check', '--json', '--only', 'ex03'], { cwd: ROOT, encoding: 'utf8' });
      assert.ok(res.status === 0 || res.status === 1, `clab-grade check exit ${res.status}: ${res.stderr}`);
      const cli = parseGraderResult(res.stdout);
      const tests = cli.exercises[0].tests;
      assert.ok(tests.length > 0);
      assert.deepEqual(
        rows.map((r) => [r[1], r[2]]),
        tests.map((t) => [t.name + (t.visibility === 'hidden' ? ' (hidden)' : ''), `${t.score} / ${t.maxScore}`]),
      );
      assert.equal(total, `Total ${cli.score} / ${cli.maxScore} points on the public tests.`);
    });
  });

  // Declared last so that mocha runs it after the notebooks (a suite's own tests run before its children).
  describe('after the runs', function () {
    it('made no request to another host (Chromium ran offline)', function () {
      assert.deepEqual(browser!.blocked, []);
    });

    it('left the committed notebooks unchanged (the server only saw copies)', function () {
      for (const [nb, hash] of committed) assert.equal(sha(path.join(ROOT, 'notebooks', nb)), hash, `${nb} changed`);
    });
  });
});
