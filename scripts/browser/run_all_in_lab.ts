// Opens a notebook in JupyterLab, runs it the way a student does (Run > Run All Cells), waits for
// the last code cell's execution count, and can save the executed notebook (File > Save).
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { inspectNotebook, STATUS_BAR_ITEMS, type NotebookSeen } from './inspect_notebook';
import type { RunningLab } from './start_lab';

/**
 * Scrolls an element into view and waits until its box stops moving (at most ~3 s). JupyterLab
 * renders a long notebook's cells as they come into view, which moves the cells below them: an
 * element screenshot taken while that happens shows the wrong part of the page (the cell above
 * and the top of a chart instead of the chart).
 */
async function scrollUntilStill(target: ReturnType<Page['locator']>): Promise<void> {
  let last = '';
  for (let i = 0; i < 20; i++) {
    await target.scrollIntoViewIfNeeded();
    const box = JSON.stringify(await target.boundingBox());
    if (box === last) return;
    last = box;
    await new Promise((done) => setTimeout(done, 150));
  }
}

/** Options for {@link runAllInLab}. */
export interface RunAllOptions {
  /** Longest the whole run may take, in ms (default 600 000). */
  timeoutMs?: number;
  /** Where screenshots go; files are named `<stem>-<what>.png`. */
  screenshotDir: string;
  /** File-name stem for the screenshots (default: the notebook's name without .ipynb). */
  stem?: string;
  /** Save the notebook after the run (File > Save Notebook) and copy it, outputs and all, into this folder. */
  saveTo?: string;
}

/** What {@link runAllInLab} saw. */
export interface RunAllResult {
  page: Page;
  /** The notebook after the run, once charts and formulas stopped changing. */
  seen: NotebookSeen;
  /** Whether every code cell got an execution count (false: the run stopped at an error). */
  finished: boolean;
  seconds: number;
  /** Status-bar texts seen while some prompt showed [*] (the kernel says Busy until the last queued cell is done). */
  statusWhileRunning: string[];
  /** Where the executed notebook was saved (with `saveTo`). */
  saved?: string;
  /** Screenshot files written. */
  screenshots: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const counted = (prompt: string) => /\[\d+\]/.test(prompt);

/**
 * Opens `name` (a file in the server's folder) in a new page, waits for the TypeScript kernel,
 * clicks Run > Run All Cells, and waits until the last code cell shows an execution count, or the
 * run stopped at an error (no [*] left), or time ran out (throws). Then waits until the charts and
 * formulas are drawn and returns what the page shows. Screenshots: `<stem>-opened.png`,
 * `<stem>-running.png` (while cells run), `<stem>-done.png`, `<stem>-chart-<n>.png`.
 * @example const run = await runAllInLab(context, lab, '01-contrastive-learning.ipynb', {screenshotDir: 'out/browser'});
 */
export async function runAllInLab(context: BrowserContext, lab: RunningLab, name: string, options: RunAllOptions): Promise<RunAllResult> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const stem = options.stem ?? name.replace(/\.ipynb$/, '');
  const screenshots: string[] = [];
  fs.mkdirSync(options.screenshotDir, { recursive: true });
  const shot = async (what: string, target: Page | ReturnType<Page['locator']>) => {
    const file = path.join(options.screenshotDir, `${stem}-${what}.png`);
    if ('boundingBox' in target) await scrollUntilStill(target);
    await target.screenshot({ path: file });
    screenshots.push(file);
  };

  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${lab.base}/lab/tree/${encodeURIComponent(name)}?reset&token=${lab.token}`);
  await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 120_000 });
  // Ready when the kernel has started: the status bar itself says Idle, not just some text on the
  // page (a notebook's markdown may quote the status bar).
  // A string, not a function: tsx would wrap a function in a helper the page does not have.
  const kernelIdle = `[...document.querySelectorAll(${JSON.stringify(STATUS_BAR_ITEMS)})].some((e) => /^TypeScript \\| Idle$/.test((e.textContent ?? '').trim()))`;
  await page.waitForFunction(kernelIdle, undefined, { timeout: 180_000 });
  await shot('opened', page);

  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();

  const statusWhileRunning: string[] = [];
  let runningShot = false;
  let finished = false;
  for (let started = false; ; ) {
    const seen = await inspectNotebook(page);
    const running = seen.prompts.some((p) => p.includes('*'));
    started ||= running || seen.prompts.some(counted);
    if (running) {
      statusWhileRunning.push(seen.status);
      // The status bar while cells run (Busy), next to the [*] prompts.
      if (!runningShot && /Busy/.test(seen.status)) {
        await shot('running', page);
        runningShot = true;
      }
    }
    if (seen.prompts.length > 0 && counted(seen.prompts[seen.prompts.length - 1])) {
      finished = seen.prompts.every(counted);
      break;
    }
    if (started && !running) break; // stopped at an error: the cells after it stay [ ]
    if (Date.now() - t0 > timeoutMs) {
      await shot('timeout', page);
      throw new Error(`runAllInLab: ${name} did not finish within ${timeoutMs / 1000}s; prompts: ${seen.prompts.join(' ')}`);
    }
    await sleep(250);
  }
  if (!runningShot) await shot('running', page).catch(() => undefined); // a very fast run: show the end instead

  // Charts are drawn and formulas typeset after the outputs arrive: wait until nothing changes.
  let seen = await inspectNotebook(page);
  for (let i = 0, key = ''; i < 60; i++) {
    const now = JSON.stringify([seen.charts, seen.typeset, seen.rawTex.length]);
    const drawn = seen.charts.every((c) => c.drawnAs !== 'none');
    if (now === key && drawn) break;
    key = now;
    await sleep(500);
    seen = await inspectNotebook(page);
  }
  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').first().scrollIntoViewIfNeeded();
  // Cells out of view are not rendered (content-visibility): wait until the first one is painted.
  const painted = "(document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')?.innerText ?? '').trim().length > 0";
  await page.waitForFunction(painted, undefined, { timeout: 10_000 }).catch(() => undefined);
  await shot('done', page);
  const charts = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output.jp-RenderedVegaLite');
  for (let i = 0; i < (await charts.count()); i++) await shot(`chart-${i + 1}`, charts.nth(i));
  const saved = options.saveTo !== undefined ? await saveNotebook(page, lab, name, options.saveTo) : undefined;
  return { page, seen, finished, seconds: (Date.now() - t0) / 1000, statusWhileRunning, screenshots, saved };
}

/**
 * Saves the open notebook with File > Save Notebook (autosave is off in the suite) and copies the
 * file the server wrote into `dir`, by way of a temp file: the executed notebook, as JupyterLab
 * keeps it, for the course site. Resolves to the copy's path.
 */
async function saveNotebook(page: Page, lab: RunningLab, name: string, dir: string): Promise<string> {
  const file = path.join(lab.dir, name);
  const before = fs.statSync(file).mtimeMs;
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^File$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Save Notebook$/ }).click();
  for (let waited = 0; fs.statSync(file).mtimeMs === before; waited += 250) {
    if (waited > 30_000) throw new Error(`runAllInLab: File > Save Notebook did not write ${file} within 30 s`);
    await sleep(250);
  }
  // The server writes the file in place; wait until it parses (the write is complete).
  for (let tries = 0; ; tries++) {
    try {
      JSON.parse(fs.readFileSync(file, 'utf8'));
      break;
    } catch (e) {
      if (tries > 40) throw e;
      await sleep(250);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.copyFileSync(file, tmp);
  fs.renameSync(tmp, target);
  return target;
}
