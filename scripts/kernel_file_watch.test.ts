import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markedProcesses, processCommand } from './start/marked_processes.mjs';

// The TypeScript service in tslab's converter (which the kernel compiles cells with) watches every
// declaration file a notebook uses, and two file events during one cell ended tslab's own kernel
// ("Unexpected pending rebuildTimer", then "Kernel died"). With inotify a link count change is an
// event: the grader's package staging and the deployment-matrix test hard-link node_modules, and
// notebook 04 died in CI while that test ran beside it. Set-up registers the kernel with file
// watching by polling (modification times), which this test checks; the kernel also replaces a
// converter left in that state (kernel/executor.ts).
const ROOT = path.resolve(__dirname, '..');
const MARK = 'CLAB_KERNEL_WATCH_MARK';
const code = (source: string) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a notebook kernel and hard links made to node_modules while a cell runs', function () {
  this.timeout(180_000);

  it('the cell, and the cell after it, run to the end: a notebook survives `cp -al node_modules` (twice) beside it', async function () {
    const mark = randomBytes(6).toString('hex');
    // Beside notebooks/, so that ../dist/lib resolves as in the course's notebooks.
    const dir = fs.mkdtempSync(path.join(ROOT, '.clab-watch-test-'));
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-watch-out-'));
    // Hard links need the same file system as node_modules.
    const links = fs.mkdtempSync(path.join(ROOT, '.clab-watch-links-'));
    const notebook = path.join(dir, 'watch.ipynb');
    fs.writeFileSync(
      notebook,
      JSON.stringify({
        cells: [
          code("import * as clab from '../dist/lib';\nconst info = await clab.initBackend();"),
          code("console.log('started'); await new Promise((r) => setTimeout(r, 12000)); console.log('slept');"),
          code("console.log('the next cell ran');"),
        ],
        metadata: { kernelspec: { name: 'clab-typescript', display_name: 'TypeScript', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 4,
      }),
    );
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run_notebooks.mjs'), notebook, `--out-dir=${outDir}`], {
      cwd: ROOT,
      env: { ...process.env, [MARK]: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const closed = new Promise<number | null>((r) => child.once('close', r));
    try {
      const t0 = Date.now();
      let kernel: number | undefined;
      while (kernel === undefined) {
        assert.ok(Date.now() - t0 < 90_000, `no kernel after 90 s:\n${log}`);
        await sleep(300);
        kernel = markedProcesses(MARK, mark).find((pid) => /dist\/kernel\/main\.js/.test(processCommand(pid)));
      }
      const env = fs.readFileSync(`/proc/${kernel}/environ`, 'utf8').split('\0');
      assert.ok(env.includes('TSC_WATCHFILE=DynamicPriorityPolling'), 'set-up registered the kernel with polling file watches');
      await sleep(5000); // into the sleeping cell (the first cell loads the library)
      for (const round of [1, 2]) {
        const copy = path.join(links, `node_modules-${round}`);
        const res = await new Promise<number | null>((r) => spawn('cp', ['-al', path.join(ROOT, 'node_modules'), copy]).once('close', r));
        assert.equal(res, 0, 'cp -al');
        fs.rmSync(copy, { recursive: true, force: true });
      }
      assert.equal(await closed, 0, log);
      const cells = (JSON.parse(fs.readFileSync(path.join(outDir, 'watch.ipynb'), 'utf8')) as { cells: { outputs: { text?: string | string[] }[] }[] }).cells;
      const text = cells.map((c) => c.outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('')).join('\n');
      assert.match(text, /started\nslept/);
      assert.match(text, /the next cell ran/);
      assert.doesNotMatch(text, /rebuildTimer/);
    } finally {
      for (const pid of markedProcesses(MARK, mark)) process.kill(pid, 'SIGKILL');
      for (const d of [dir, outDir, links]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
