// class-report.html: one page that works offline and without a script (a content security policy
// forbids every request), with charts as inline SVG written here: bars are <rect class="mark">.
import type { ClassSummary } from './class_report';

/** Exercise colours (Tableau 10), in exercise order. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Named mistakes listed on the page (mistakes.csv has them all). */
const TOP_MISTAKES = 20;

/** Text and attribute values in HTML and SVG; control characters dropped. */
function esc(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pct(x: number): string {
  return `${Math.round(100 * x)}%`;
}

/** One bar of {@link barChart}. */
interface Bar {
  label: string;
  /** 0..1 */
  value: number;
  /** Right of the bar, e.g. "67% (4/6)". */
  note: string;
  colour: string;
  /** Tooltip: the full label and numbers. */
  title: string;
}

/** A horizontal bar chart of rates (0 to 100%), one row per bar. */
function barChart(bars: Bar[], caption: string): string {
  const longest = Math.max(0, ...bars.map((b) => b.label.length));
  const labelW = Math.min(460, 12 + 6.2 * longest);
  const barW = 320;
  const rowH = 18;
  const top = 22;
  const width = Math.ceil(labelW + barW + 110);
  const height = top + rowH * bars.length + 6;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<line x1="${labelW + t * barW}" x2="${labelW + t * barW}" y1="${top - 4}" y2="${height - 4}" stroke="#ddd"/><text x="${labelW + t * barW}" y="${top - 8}" text-anchor="middle" class="axis">${pct(t)}</text>`)
    .join('');
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowH;
      const w = Math.max(0, Math.min(1, b.value)) * barW;
      const label = b.label.length > 72 ? `${b.label.slice(0, 71)}…` : b.label;
      return (
        `<g><title>${esc(b.title)}</title>` +
        `<text x="${labelW - 6}" y="${y + 12.5}" text-anchor="end">${esc(label)}</text>` +
        `<rect class="track" x="${labelW}" y="${y + 3}" width="${barW}" height="12" fill="#f1f1f1"/>` +
        `<rect class="mark" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="12" fill="${b.colour}"/>` +
        `<text x="${labelW + barW + 6}" y="${y + 12.5}" class="note">${esc(b.note)}</text></g>`
      );
    })
    .join('');
  return svg(width, height, caption, ticks + rows);
}

/** A vertical bar chart of counts. */
function columnChart(columns: Array<{ label: string; count: number; title: string }>, caption: string): string {
  const colW = 44;
  const plotH = 150;
  const left = 10;
  const top = 18;
  const max = Math.max(1, ...columns.map((c) => c.count));
  const width = left + colW * columns.length + 10;
  const height = top + plotH + 34;
  const body = columns
    .map((c, i) => {
      const h = (c.count / max) * plotH;
      const x = left + i * colW;
      return (
        `<g><title>${esc(c.title)}</title>` +
        `<rect class="mark" x="${x + 4}" y="${(top + plotH - h).toFixed(1)}" width="${colW - 8}" height="${h.toFixed(1)}" fill="${PALETTE[0]}"/>` +
        `<text x="${x + colW / 2}" y="${(top + plotH - h - 4).toFixed(1)}" text-anchor="middle" class="note">${c.count}</text>` +
        `<text x="${x + colW / 2}" y="${top + plotH + 14}" text-anchor="middle" class="axis">${esc(c.label)}</text></g>`
      );
    })
    .join('');
  const axis = `<line x1="${left}" x2="${width - 10}" y1="${top + plotH}" y2="${top + plotH}" stroke="#888"/><text x="${width / 2}" y="${height - 2}" text-anchor="middle" class="axis">score (% of the maximum)</text>`;
  return svg(width, height, caption, body + axis);
}

function svg(width: number, height: number, caption: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(caption)}"><title>${esc(caption)}</title>${body}</svg>`;
}

/** The page: summary, pass rate per exercise and per test, named mistakes, score distribution, not graded. */
export function classReportHtml(s: ClassSummary): string {
  const graded = s.rows.filter((r) => r.status === 'graded' && r.maxScore > 0);
  const exercises = [...new Set(s.tests.map((t) => t.exercise))];
  const colour = (ex: string) => PALETTE[exercises.indexOf(ex) % PALETTE.length];

  const shares = graded.map((r) => r.score / r.maxScore).sort((a, b) => a - b);
  const mean = shares.reduce((a, x) => a + x, 0) / Math.max(1, shares.length);
  const median = shares.length === 0 ? 0 : (shares[(shares.length - 1) >> 1] + shares[shares.length >> 1]) / 2;
  const summary =
    `${s.rows.length} submissions: ${graded.length} graded, ${s.notGraded.length} not graded.` +
    (graded.length > 0 ? ` Mean score ${pct(mean)} of the maximum, median ${pct(median)}.` : '');
  const untested = graded.length - s.withTests;
  const untestedNote = untested > 0 ? `<p class="warn">${untested} graded submissions have no per-test results (graded by an older grader): they count in the score distribution only. Regrade them with <code>--force</code>.</p>` : '';

  const perExercise = exercises.map((ex) => {
    const ts = s.tests.filter((t) => t.exercise === ex);
    const runs = ts.reduce((a, t) => a + t.runs, 0);
    const passed = ts.reduce((a, t) => a + t.passed, 0);
    return { label: ex, value: runs === 0 ? 0 : passed / runs, note: `${pct(runs === 0 ? 0 : passed / runs)} (${passed}/${runs})`, colour: colour(ex), title: `${ex}: ${passed} of ${runs} test runs passed` };
  });
  const perTest = s.tests.map((t) => {
    const r = t.runs === 0 ? 0 : t.passed / t.runs;
    const label = `${t.exercise} ${t.test}${t.visibility === 'hidden' ? ' (hidden)' : ''}`;
    return { label, value: r, note: `${pct(r)} (${t.passed}/${t.runs})`, colour: colour(t.exercise), title: `${label}: ${t.passed} of ${t.runs} submissions passed (${t.points} points)` };
  });
  const bins = Array.from({ length: 11 }, (_, i) => ({ label: i === 10 ? '100' : `${i * 10}-${i * 10 + 9}`, count: 0, title: '' }));
  for (const x of shares) bins[x >= 1 ? 10 : Math.min(9, Math.floor(10 * x + 1e-9))].count++;
  for (const b of bins) b.title = `${b.count} submissions scored ${b.label}% of the maximum`;

  const mistakeRows = s.mistakes
    .slice(0, TOP_MISTAKES)
    .map((m, i) => `<tr><td>${i + 1}</td><td>${esc(m.exercise)}</td><td>${esc(m.name)}</td><td class="num">${m.submissions.length} (${pct(m.submissions.length / Math.max(1, s.withTests))})</td><td>${esc(m.explain)}</td></tr>`)
    .join('\n');
  const mistakes =
    s.mistakes.length === 0
      ? '<p>No submission made a named mistake.</p>'
      : `<table><thead><tr><th>#</th><th>exercise</th><th>mistake</th><th>submissions</th><th>what it means</th></tr></thead><tbody>\n${mistakeRows}\n</tbody></table>` +
        (s.mistakes.length > TOP_MISTAKES ? `<p>The ${TOP_MISTAKES} most common of ${s.mistakes.length}; mistakes.csv lists them all, with the submissions that made each.</p>` : '<p>mistakes.csv lists the submissions that made each.</p>');
  const notGraded =
    s.notGraded.length === 0 ? '' : `<section id="not-graded"><h2>Not graded</h2><ul>${s.notGraded.map((r) => `<li><b>${esc(r.submission)}</b>: ${esc(r.status)}</li>`).join('')}</ul></section>`;
  const figure = (chart: string) => `<figure class="chart">${chart}</figure>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class report: ${s.rows.length} submissions</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #222; }
main { max-width: 1150px; margin: 0 auto; padding: 1em 1.5em 3em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
figure.chart { margin: 0.5em 0; overflow-x: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #222; }
svg text.axis, svg text.note { fill: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #eee; }
td.num { white-space: nowrap; }
.warn { background: #fff4d6; padding: 0.5em; }
</style>
</head>
<body>
<main>
<h1>Class report</h1>
<p>${esc(summary)}</p>
${untestedNote}
<section id="exercises"><h2>Pass rate per exercise</h2>
<p>The share of test runs passed over the graded submissions (a missing exercise file fails all its tests).</p>
${figure(barChart(perExercise, 'Pass rate per exercise'))}
</section>
<section id="mistakes"><h2>Most common named mistakes</h2>
${mistakes}
</section>
<section id="scores"><h2>Score distribution</h2>
${figure(columnChart(bins, 'Score distribution'))}
</section>
<section id="tests"><h2>Pass rate per test</h2>
<p>tests.csv has these numbers.</p>
${figure(barChart(perTest, 'Pass rate per test'))}
</section>
${notGraded}
</main>
</body>
</html>
`;
}
