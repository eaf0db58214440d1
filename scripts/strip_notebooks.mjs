#!/usr/bin/env node
// Clears outputs and execution counts so notebooks are committed clean.
//
//   npm run notebooks:strip                     every notebooks/*.ipynb
//   npm run notebooks:strip -- a.ipynb b.ipynb  just these
//
// Writes in nbformat's own layout (1-space indent, sorted keys, trailing newline) so a strip
// of an already clean notebook changes no byte. Prints one line per notebook it changed.
import fs from 'node:fs';
import path from 'node:path';
import { listNotebooks } from './run_notebooks.mjs';

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

/** The notebook text without outputs, execution counts or per-cell execution timing. */
export function stripNotebook(text) {
  const nb = JSON.parse(text);
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
    }
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
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, after);
  fs.renameSync(tmp, file);
  console.log(`stripped ${path.relative(process.cwd(), file)}`);
  changed++;
}
console.log(`notebooks:strip: ${changed} of ${files.length} notebook(s) changed`);
