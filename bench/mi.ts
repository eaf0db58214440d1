// Bench: notebook 02's InfoNCE bound grid on WASM - MI {2,4,6,8,10} x N {64,128,256,512} x 100
// trials with the optimal Gaussian critic, vectorised over trials. Target: under 10 s.
// Run: npm run bench:mi [-- --json out/mi_bench.json] ; CLAB_BACKEND overrides the backend.
import * as fs from 'node:fs';
import { initBackend } from '../lib/backend';
import * as tf from '@tensorflow/tfjs';
import { boundExperiment, gaussianCritic, infoNCEBound, rhoForMI, sampleCorrelatedGaussians, trialSeed } from '../lib/mi';

const config = {
  dim: 20, // Poole et al. 2019, fig. 2
  mis: [2, 4, 6, 8, 10], // nats
  batchSizes: [64, 128, 256, 512],
  trials: 100,
  seed: 0,
};

async function main(): Promise<void> {
  const info = await initBackend({ backend: process.env.CLAB_BACKEND ?? 'wasm' });
  console.log(info.summary);
  boundExperiment({ ...config, mis: [2], batchSizes: [64], trials: 2 }); // warm-up: kernels, WASM heap
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rows = boundExperiment(config);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // On a shared machine wall time mostly measures the other processes; the CPU time this
  // process used (user + system; WASM runs single-threaded) is what an idle machine would take.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const load = require('node:os').loadavg()[0] as number;
  console.table(
    rows.map((r) => ({
      trueMI: r.trueMI,
      N: r.batchSize,
      logN: r.logN.toFixed(4),
      mean: r.mean.toFixed(4),
      stderr: r.stderr.toFixed(4),
      'logN - mean': (r.logN - r.mean).toFixed(4),
      holds: r.holds,
    })),
  );
  const cells = config.mis.length * config.batchSizes.length;
  console.log(
    `bench:mi ${cells} cells x ${config.trials} trials (dim ${config.dim}) on ${info.name}: ` +
      `wall ${seconds.toFixed(2)} s, CPU ${cpuSeconds.toFixed(2)} s (target < 10 s: ${seconds < 10 ? 'met' : 'NOT met'} on wall time, ` +
      `${cpuSeconds < 10 ? 'met' : 'NOT met'} on CPU time); 1-min load average ${load.toFixed(1)} on ${require('node:os').cpus().length} cores`,
  );
  // The same work as one cell of the grid done the naive way, one [N, N] batch at a time through
  // the public single-batch functions, against the vectorised path (same draws, same means).
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const rho = rhoForMI(10, config.dim);
  for (const [b, n] of config.batchSizes.entries()) {
    if (n !== 64 && n !== 512) continue;
    let c0 = cpuNow();
    const [fast] = boundExperiment({ ...config, mis: [10], batchSizes: [n] });
    const fastCpu = cpuNow() - c0;
    c0 = cpuNow();
    let sum = 0;
    for (let t = 0; t < config.trials; t++) {
      // batch index 0: the one-size experiment above numbers its only batch size 0
      const { x, y } = sampleCorrelatedGaussians({ n, dim: config.dim, rho, seed: trialSeed(config.seed, 0, t) });
      const s = gaussianCritic(x, y, rho);
      sum += infoNCEBound(s);
      tf.dispose([x, y, s]);
    }
    const naiveCpu = cpuNow() - c0;
    console.log(
      `cell MI 10, N ${n} (grid column ${b}), ${config.trials} trials: vectorised ${fastCpu.toFixed(2)} CPU s, ` +
        `per-trial loop ${naiveCpu.toFixed(2)} CPU s (x${(naiveCpu / fastCpu).toFixed(1)}); means ${fast.mean.toFixed(5)} vs ${(sum / config.trials).toFixed(5)}`,
    );
  }
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt >= 0) {
    const path = process.argv[jsonAt + 1];
    if (!path) throw new Error('bench:mi: --json needs a file path, e.g. --json out/mi_bench.json');
    fs.writeFileSync(path, JSON.stringify({ config, seconds, cpuSeconds, load, backend: info.name, rows }, null, 1));
    console.log(`wrote ${path}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
