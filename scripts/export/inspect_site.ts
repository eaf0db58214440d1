// Opens every page of an exported site from file:// in headless chromium with all network
// blocked, and checks what a reader would see: nothing requested from anywhere, every chart
// drawn live with marks, every formula typeset without a MathJax error, no raw `$` left.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/launch_chromium';
import type { SiteManifest } from './export_site';
import { SITE_MANIFEST } from './write_site_atomic';

/** What the inspection found on one page. */
export interface PageInspection {
  file: string;
  /** Requests to other hosts that the offline browser blocked. */
  blocked: string[];
  /** Requests that failed, content-security-policy refusals, script errors, console errors. */
  failures: string[];
  /** Charts: found, drawn live, drawn with marks, static fallback pictures that decode, why not drawn. */
  charts: { expected: number; drawn: number; withMarks: number; staticPictures: number; failed: string[] };
  formulas: { expected: number; typeset: number; errors: string[] };
  /** Text outside code with TeX left in it (`$`, `\begin{`), with some context. */
  rawMath: string[];
  /** Images (outputs, Markdown) that did not decode. */
  brokenImages: number;
  /** The page shows tfjs's "running TensorFlow.js in Node.js" banner. */
  banner: boolean;
  /** Links to a page of the site that does not exist, or to an anchor (#id) the page lacks. */
  deadLinks: string[];
  screenshot: string;
  ok: boolean;
}

/** Options for {@link inspectSite}. */
export interface InspectSiteOptions {
  /** Where full-page screenshots go (one PNG per page). */
  shotsDir: string;
  /** A line per page. Default: none. */
  log?: (line: string) => void;
}

/** What assets/observe_page.js reports. */
interface Observed {
  figures: { live: string | null; error: string | null; marks: number; staticDecodes: boolean }[];
  formulas: number;
  mathErrors: string[];
  rawMath: string[];
  brokenImages: number;
  banner: boolean;
  links: string[];
  deadAnchors: string[];
  csp: string[];
}

// The page-side scripts are plain JavaScript files: the project's TypeScript has no DOM types,
// and they must reach the browser as written (no transpiler helpers).
const OBSERVE = fs.readFileSync(path.join(__dirname, 'assets', 'observe_page.js'), 'utf8');
const RECORD_CSP = "window.__clabCsp = []; document.addEventListener('securitypolicyviolation', (e) => window.__clabCsp.push(e.violatedDirective + ' refused ' + e.blockedURI));";

/**
 * Inspects an exported site in a real browser with the network off (see the file comment).
 * @param siteDir a folder written by exportSite (it reads site.json for the expected counts)
 * @returns one {@link PageInspection} per page (the index first) and `ok` when all pass
 * @example const r = await inspectSite('out/site', {shotsDir: 'out/site-shots'}); if (!r.ok) process.exit(1);
 */
export async function inspectSite(siteDir: string, options: InspectSiteOptions): Promise<{ ok: boolean; pages: PageInspection[] }> {
  const manifestFile = path.join(siteDir, SITE_MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new Error(`inspectSite: ${siteDir} has no ${SITE_MANIFEST}; export the site first (npm run export)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SiteManifest;
  const expected = [
    { file: manifest.index.file, charts: 0, formulas: manifest.index.formulas },
    ...manifest.pages.map((p) => ({ file: p.file, charts: p.charts, formulas: p.formulas })),
  ];
  fs.mkdirSync(options.shotsDir, { recursive: true });
  const browser = await launchChromium({ offline: true, viewport: { width: 1200, height: 900 } });
  const pages: PageInspection[] = [];
  try {
    for (const want of expected) {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(120_000); // a 2 MB page on a loaded 2-core machine
      const failures: string[] = [];
      page.on('requestfailed', (r) => failures.push(`request failed: ${r.url().slice(0, 120)} (${r.failure()?.errorText ?? '?'})`));
      page.on('pageerror', (e) => failures.push(`script error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') failures.push(`console error: ${m.text().slice(0, 200)}`);
      });
      await page.addInitScript({ content: RECORD_CSP });
      const blockedBefore = browser.blocked.length;
      await page.goto(pathToFileURL(path.join(siteDir, want.file)).href, { waitUntil: 'load' });
      await page.evaluate('window.clabCharts');
      const seen = (await page.evaluate(OBSERVE)) as Observed;
      const screenshot = path.join(options.shotsDir, want.file.replace(/\.html$/, '.png'));
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.close();
      failures.push(...seen.csp.map((c) => `content security policy: ${c}`));
      const deadLinks = [...seen.links.filter((h) => !fs.existsSync(path.join(siteDir, decodeURIComponent(h.split('#')[0])))), ...seen.deadAnchors];
      const found: PageInspection = {
        file: want.file,
        blocked: browser.blocked.slice(blockedBefore),
        failures,
        charts: {
          expected: want.charts,
          drawn: seen.figures.filter((f) => f.live === 'drawn').length,
          withMarks: seen.figures.filter((f) => f.live === 'drawn' && f.marks > 0).length,
          staticPictures: seen.figures.filter((f) => f.staticDecodes).length,
          failed: seen.figures.filter((f) => f.live !== 'drawn').map((f) => f.error ?? 'not drawn'),
        },
        formulas: { expected: want.formulas, typeset: seen.formulas, errors: seen.mathErrors },
        rawMath: seen.rawMath,
        brokenImages: seen.brokenImages,
        banner: seen.banner,
        deadLinks,
        screenshot,
        ok: false,
      };
      found.ok =
        found.blocked.length === 0 &&
        failures.length === 0 &&
        seen.figures.length === want.charts &&
        found.charts.withMarks === want.charts &&
        found.charts.staticPictures === want.charts &&
        found.formulas.typeset === want.formulas &&
        found.formulas.errors.length === 0 &&
        found.rawMath.length === 0 &&
        found.brokenImages === 0 &&
        !found.banner &&
        deadLinks.length === 0;
      options.log?.(describe(found));
      pages.push(found);
    }
  } finally {
    await browser.close();
  }
  return { ok: pages.every((p) => p.ok), pages };
}

/** One line per page, then one line per problem. */
function describe(c: PageInspection): string {
  const head = `${c.ok ? 'ok  ' : 'FAIL'} ${c.file}: ${c.blocked.length} blocked requests, ${c.failures.length} failures, charts ${c.charts.withMarks}/${c.charts.expected} drawn live with marks (${c.charts.staticPictures} static fallbacks decode), formulas ${c.formulas.typeset}/${c.formulas.expected} typeset (${c.formulas.errors.length} errors), ${c.rawMath.length} raw TeX`;
  const problems = [
    ...c.blocked.map((u) => `blocked: ${u}`),
    ...c.failures,
    ...c.charts.failed.map((e) => `chart not drawn: ${e}`),
    ...c.formulas.errors.map((e) => `MathJax error: ${e}`),
    ...c.rawMath.map((t) => `raw TeX: ...${t}...`),
    ...(c.brokenImages ? [`${c.brokenImages} images did not load`] : []),
    ...(c.banner ? ["tfjs's Node.js banner is on the page"] : []),
    ...c.deadLinks.map((h) => `dead link: ${h}`),
  ];
  return [head, ...problems.slice(0, 20).map((p) => `    ${p}`)].join('\n');
}
