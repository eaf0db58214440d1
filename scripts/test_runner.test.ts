import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markedProcesses, processCommand as cmdline } from './start/marked_processes.mjs';

// `npm test` stopped from outside (a CI timeout's SIGTERM, Ctrl-C) must not leave its notebook
// kernels behind: they run in their own sessions (Jupyter starts them so), so a runner that
// signals only its own children leaves the TypeScript kernels, the executors and the browser suite's
// Jupyter running.
const ROOT = path.resolve(__dirname, '..');
const MARK = 'CLAB_TEST_RUNNER_MARK';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scripts/test.mjs (npm test) stopped by a signal', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} while two notebooks run: exit ${code}, and no process it started (kernels included) is left`, async function () {
      this.timeout(120_000);
      const mark = randomBytes(6).toString('hex');
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-test-runner-'));
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'test.mjs'), '--skip=typecheck,mocha,browser,student-e2e,site'], {
        cwd: ROOT,
        env: { ...process.env, [MARK]: mark, CLAB_NOTEBOOK_OUT_DIR: outDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      const closed = new Promise<number | null>((r) => child.once('close', (c) => r(c)));
      try {
        // Wait for two TypeScript kernels (one per lane), started by Jupyter in sessions of their own.
        const t0 = Date.now();
        let kernels: number[] = [];
        while (kernels.length < 2) {
          assert.ok(Date.now() - t0 < 90_000, `no two kernels after 90 s; output:\n${log}`);
          await sleep(500);
          kernels = markedProcesses(MARK, mark).filter((pid) => /dist[\\/]kernel[\\/]main\.js/.test(cmdline(pid)));
        }
        child.kill(signal);
        const exitCode = await closed;
        assert.equal(exitCode, code, log);
        assert.match(log, new RegExp(`${signal}: stopping 2 running step\\(s\\)`));
        assert.doesNotMatch(log, /=== notebook 0[12]/, 'no new step starts once stopping');
        let left = markedProcesses(MARK, mark);
        for (let i = 0; i < 20 && left.length > 0; i++) {
          await sleep(250);
          left = markedProcesses(MARK, mark);
        }
        assert.deepEqual(left.map((pid) => `${pid} ${cmdline(pid)}`), []);
      } finally {
        for (const pid of markedProcesses(MARK, mark)) process.kill(pid, 'SIGKILL');
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    });
  }
});
