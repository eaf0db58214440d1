import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run export -- ...args` the way npm does (tsx scripts/export/cli.ts). */
function exportCli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'export', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run export (scripts/export/cli.ts)', function () {
  this.timeout(150_000);

  it('npm run export -- --no-such-option exits 2 and prints the usage', () => {
    const r = exportCli(['--no-such-option']);
    assert.equal(r.code, 2);
    assert.match(r.err, /export: Unknown option '--no-such-option'/);
    assert.match(r.err, /usage: npm run export -- \[options\]/);
  });

  it('npm run export -- --from=<empty dir> exits 1, lists each notebook as missing and the command that makes it', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-export-cli-'));
    try {
      const r = exportCli([`--from=${empty}`, `--out=${path.join(empty, 'site')}`, 'notebooks/01-contrastive-learning.ipynb']);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, /notebooks\/01-contrastive-learning\.ipynb: missing - no executed copy at/);
      assert.match(r.err, /Run them, then export again: {2}npm run notebooks -- --out-dir=\S+ notebooks\/01-contrastive-learning\.ipynb/);
      assert.equal(fs.existsSync(path.join(empty, 'site')), false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
