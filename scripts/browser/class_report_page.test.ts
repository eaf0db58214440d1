// The class report grade-all and merge write (grader/report/class_report_html.ts), opened from
// file:// in headless chromium with every request to another host blocked, as the course site
// is checked (scripts/export/check_site.ts): nothing requested, nothing failed, no script, and
// every chart drawn with its bars.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { summariseClass, type GradebookRow, type TestOutcome } from '../../grader/report';
import { classReportHtml } from '../../grader/report/class_report_html';
import { launchChromium } from './launch_chromium';

const SUM = { name: 'sum instead of mean', explain: 'The loss is the mean over the batch: use tf.mean, not tf.sum.' };

/** A class of 40: ex04's 6 tests and ex05's 3, passed more often by later students; every fifth sums. */
function classRows(): GradebookRow[] {
  const rows: GradebookRow[] = [];
  for (let i = 0; i < 40; i++) {
    const tests: TestOutcome[] = [
      ...Array.from({ length: 6 }, (_, k): TestOutcome => ({ exercise: 'ex04', test: `ntXentLoss test ${k + 1} <${k}>`, visibility: k < 3 ? 'public' : 'hidden', points: 2, passed: (i + k) % 7 < i % 5 + 2 })),
      ...Array.from({ length: 3 }, (_, k): TestOutcome => ({ exercise: 'ex05', test: `mocoLoss test ${k + 1}`, visibility: 'public', points: 1, passed: i % 3 !== k })),
    ];
    if (i % 5 === 0) tests[0] = { ...tests[0], passed: false, mistake: SUM };
    const score = tests.reduce((a, t) => a + (t.passed ? t.points : 0), 0);
    rows.push({ submission: `student-${String(i).padStart(2, '0')}`, score, maxScore: 15, exercises: {}, status: 'graded', tests });
  }
  rows.push({ submission: 'late.zip', score: 0, maxScore: 0, exercises: {}, status: 'not graded: late.zip: too large: 52 MB, the limit is 50 MB' });
  return rows;
}

describe('class-report.html in headless chromium, offline', function () {
  this.timeout(180000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-class-page-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens from file:// with no request to any host, no failure or script error, and three charts with their bars', async () => {
    const file = path.join(dir, 'class-report.html');
    fs.writeFileSync(file, classReportHtml(summariseClass(classRows())));
    const browser = await launchChromium({ offline: true, viewport: { width: 1200, height: 900 } });
    try {
      const page = await browser.context.newPage();
      const failures: string[] = [];
      page.on('requestfailed', (r) => failures.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
      page.on('pageerror', (e) => failures.push(`script error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') failures.push(`console error: ${m.text()}`);
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const seen = (await page.evaluate(`(() => ({
        charts: Array.from(document.querySelectorAll('figure.chart svg')).map((svg) => ({
          label: svg.getAttribute('aria-label'),
          width: svg.getBoundingClientRect().width,
          marks: svg.querySelectorAll('rect.mark').length,
          drawn: Array.from(svg.querySelectorAll('rect.mark')).filter((r) => r.getBBox().width > 0 && r.getBBox().height > 0).length,
        })),
        scripts: document.querySelectorAll('script').length,
        mistakes: Array.from(document.querySelectorAll('#mistakes tbody tr')).map((tr) => tr.textContent),
      }))()`)) as { charts: Array<{ label: string; width: number; marks: number; drawn: number }>; scripts: number; mistakes: string[] };
      await page.screenshot({ path: path.join(dir, 'class-report.png'), fullPage: true });
      assert.deepEqual(browser.blocked, []);
      assert.deepEqual(failures, []);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
      assert.equal(seen.scripts, 0);
      assert.deepEqual(seen.charts.map((c) => [c.label, c.marks]), [['Pass rate per exercise', 2], ['Score distribution', 11], ['Pass rate per test', 9]]);
      for (const c of seen.charts) {
        assert.ok(c.width > 200, `${c.label} is ${c.width} px wide`);
        assert.ok(c.drawn > 0, `${c.label}: no bar has a size`);
      }
      assert.deepEqual(seen.mistakes, [`1ex04sum instead of mean8 (20%)${SUM.explain}`]);
    } finally {
      await browser.close();
    }
  });
});
