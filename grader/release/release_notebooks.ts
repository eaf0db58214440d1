import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What {@link releaseNotebooks} did to the released notebooks. */
export interface ReleasedNotebooks {
  /** The notebook files, relative to the release (`notebooks/02-infonce-bound.ipynb`). */
  files: string[];
  /** Exercise id -> the notebook whose cell runs `clab.check('<id>')` (where it is taught). */
  checkedIn: Map<string, string>;
}

/** Notebook metadata that must not reach a student (a front end or a run wrote it). */
const VOLATILE = ['language_info', 'widgets'];

/**
 * Strips the released copies of the notebooks with the project's own `notebooks:strip` script
 * (outputs, execution counts, language_info, widget state, timing), whatever state the
 * instructor's working tree was in (opened in JupyterLab, autosaved, executed), then checks the
 * result and finds which notebook checks which exercise.
 * @param out the release folder (its notebooks/ and scripts/strip_notebooks.mjs already copied)
 * @throws when the strip script fails or a notebook still holds outputs or volatile metadata
 */
export function releaseNotebooks(out: string): ReleasedNotebooks {
  const dir = path.join(out, 'notebooks');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => `notebooks/${f}`) : [];
  const checkedIn = new Map<string, string>();
  if (files.length === 0) return { files, checkedIn };
  const strip = spawnSync(process.execPath, [path.join(out, 'scripts', 'strip_notebooks.mjs'), ...files], { cwd: out, encoding: 'utf8' });
  if (strip.status !== 0) throw new Error(`release: stripping the notebooks failed (exit ${strip.status}):\n${strip.stderr}`);
  for (const rel of files) {
    const nb = JSON.parse(fs.readFileSync(path.join(out, rel), 'utf8')) as {
      metadata?: Record<string, unknown>;
      cells: Array<{ cell_type: string; source: string[] | string; outputs?: unknown[]; execution_count?: number | null }>;
    };
    const dirty = nb.cells.findIndex((c) => (c.outputs?.length ?? 0) > 0 || (c.execution_count ?? null) !== null);
    const volatile = VOLATILE.filter((k) => nb.metadata?.[k] !== undefined);
    if (dirty >= 0 || volatile.length > 0) {
      throw new Error(`release: ${rel} still holds ${dirty >= 0 ? `outputs (cell ${dirty + 1})` : `metadata ${volatile.join(', ')}`} after stripping; check scripts/strip_notebooks.mjs`);
    }
    for (const c of nb.cells) {
      if (c.cell_type !== 'code') continue;
      const src = Array.isArray(c.source) ? c.source.join('') : c.source;
      for (const m of src.matchAll(/clab\.check\(\s*\[?\s*((?:'ex\d{2}'\s*,?\s*)+)\]?/g)) {
        for (const id of m[1].match(/ex\d{2}/g) ?? []) if (!checkedIn.has(id)) checkedIn.set(id, rel);
      }
    }
  }
  return { files, checkedIn };
}
