import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { processTreeCpu } from './process_tree_cpu';

describe('processTreeCpu(pid) sums the CPU of a process and its descendants', () => {
  it('processTreeCpu(sh that runs a busy node) counts the grandchild: at least 0.3 s after it spun for 0.5 s', async function () {
    if (process.platform !== 'linux') this.skip();
    this.timeout(20000);
    // sh -> node (spins 0.5 s of CPU, then waits): the grandchild's CPU must be counted.
    // In its own process group, killed as a whole at the end (as the sandbox kills its children).
    const child = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e "const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) < 5e5); console.log('spun'); setInterval(() => {}, 1000)"`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    await new Promise<void>((resolve) => child.stdout!.on('data', () => resolve()));
    try {
      assert.ok(processTreeCpu(child.pid!) >= 0.3, `counted ${processTreeCpu(child.pid!)} s`);
    } finally {
      process.kill(-child.pid!, 'SIGKILL'); // its own process group: sh and the node it started
    }
  });

  it('processTreeCpu of a pid that does not exist is 0', () => {
    assert.equal(processTreeCpu(2 ** 22 + 12345), 0);
  });
});
