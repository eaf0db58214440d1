#!/usr/bin/env node
// Entry of the `clab-grade` bin: runs grader/cli.ts through tsx (a devDependency), or the
// compiled dist/grader/cli.js when tsx is absent (npm ci --omit=dev, after npm run build).
const path = require('node:path');
const fs = require('node:fs');
const root = path.resolve(__dirname, '..', '..');
let entry;
try {
  require('tsx/cjs');
  entry = path.join(root, 'grader', 'cli.ts');
} catch {
  entry = path.join(root, 'dist', 'grader', 'cli.js');
  if (!fs.existsSync(entry)) {
    process.stderr.write('clab-grade: needs tsx (npm ci) or a build (npm run build)\n');
    process.exit(4);
  }
}
const { main } = require(entry);
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; setTimeout(() => process.exit(code), 100).unref(); },
  (e) => { process.stderr.write(`clab-grade: internal error: ${e && e.stack}\n`); process.exit(4); },
);
