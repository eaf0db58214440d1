#!/usr/bin/env node
// Clears outputs, execution counts and volatile metadata so notebooks are committed clean
// (the student release strips its copies with this same script).
//
//   npm run notebooks:strip                     every notebooks/*.ipynb
//   npm run notebooks:strip -- a.ipynb b.ipynb  just these
//
// Writes in nbformat's own layout (1-space indent, sorted keys, trailing newline) so a strip
// of an already clean notebook changes no byte. Prints one line per notebook it changed.
import fs from 'node:fs';
import path from 'node:path';
import { listNotebooks } from './run_notebooks.mjs';
import { writeAtomic } from './setup/write_atomic.mjs';

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

/** Notebook metadata a front end or kernel writes on its own (opening a notebook adds language_info). */
const VOLATILE_NOTEBOOK_METADATA = ['language_info', 'widgets', 'toc', 'varInspector', 'vscode', 'interpreter'];
/** Cell metadata that records a run or the view (timing, collapsed/hidden, scroll), not the lesson. */
const VOLATILE_CELL_METADATA = ['execution', 'collapsed', 'scrolled', 'ExecuteTime', 'jupyter', 'trusted', 'outputExpanded'];

/**
 * The notebook text without outputs, execution counts, and the metadata a front end writes by
 * itself (language_info, widget state, per-cell timing and collapsed/hidden/scroll state).
 */
export function stripNotebook(text) {
  const nb = JSON.parse(text);
  for (const key of VOLATILE_NOTEBOOK_METADATA) delete nb.metadata?.[key];
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) for (const key of VOLATILE_CELL_METADATA) delete cell.metadata[key];
  }
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

const args = process.argv.slice(2);
const files = args.length ? args.map((f) => path.resolve(f)) : listNotebooks();
let changed = 0;
for (const file of files) {
  const before = fs.readFileSync(file, 'utf8');
  const after = stripNotebook(before);
  if (after === before) continue;
  writeAtomic(file, after);
  console.log(`stripped ${path.relative(process.cwd(), file)}`);
  changed++;
}
console.log(`notebooks:strip: ${changed} of ${files.length} notebook(s) changed`);
