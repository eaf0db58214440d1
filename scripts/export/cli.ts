#!/usr/bin/env node
// `npm run export -- [options] [notebooks/x.ipynb ...]`: parses the command line and hands off to
// exportSite (and inspectSite for --check). Exit codes: 0 written (and checked), 1 not written or
// the check failed, 2 bad usage.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inspectSite } from './inspect_site';
import { exportSite, ExportError, ROOT } from './export_site';

const USAGE = `usage: npm run export -- [options] [notebooks/x.ipynb ...]
Writes a static site from the executed notebooks (default: every notebooks/*.ipynb):
index.html and one self-contained page per notebook, working offline (file:// or any server).
options:
  --out=DIR      the site folder (default out/site); replaced as a whole, only if the export wrote it
  --from=DIR     the runner's executed copies (default out/notebooks)
  --execute      first run the notebooks whose executed copy is missing, stale or failed
  --check        then open every page in chromium with the network blocked and check it
  --shots=DIR    screenshots of the check (default out/site-shots)`;

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        from: { type: 'string' },
        execute: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        shots: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`export: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const t0 = Date.now();
  const out = path.resolve(v.out ?? path.join(ROOT, 'out', 'site'));
  let site;
  try {
    site = await exportSite({ notebooks: positionals.length ? positionals : undefined, from: v.from, out, execute: v.execute });
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    console.error(`[export] ${e.message}`);
    return 1;
  }
  const shown = path.relative(process.cwd(), out) || '.';
  for (const p of site.pages) {
    console.log(`[export] ${path.join(shown, p.file)}  ${mb(p.bytes)}  ${p.charts} charts, ${p.images} images, ${p.formulas} formulas  <- ${p.source}`);
  }
  console.log(`[export] ${path.join(shown, 'index.html')}  ${mb(site.index.bytes)}  ${site.pages.length} notebook${site.pages.length === 1 ? '' : 's'}`);
  console.log(`[export] wrote ${shown}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s; open ${path.join(shown, 'index.html')} in a browser (works offline)`);
  if (!v.check) return 0;
  const t1 = Date.now();
  const shots = path.resolve(v.shots ?? path.join(ROOT, 'out', 'site-shots'));
  let result;
  try {
    result = await inspectSite(out, { shotsDir: shots, log: (line) => console.log(`[export] ${line}`) });
  } catch (e) {
    // e.g. no chromium: launchChromium's message says how to install it.
    console.error(`[export] the site was written, but the check could not run: ${(e as Error).message}`);
    return 1;
  }
  console.log(`[export] check ${result.ok ? 'passed' : 'FAILED'} in ${((Date.now() - t1) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), shots) || '.'}/`);
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`export: internal error: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 4;
  },
);
