import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraderResult } from './grader_result';
import { parseGraderResult } from './parse_grader_result';
import { projectRoot } from './project_root';

/** Options for {@link runGraderCheck} (and `check`). */
export interface GraderCheckOptions {
  /** The project folder with grader/ and node_modules/. Default: the one this library is in. */
  root?: string;
  /** The folder with the exercise files to check. Default: `<root>/exercises`. */
  dir?: string;
  /** Stop the grader after this many ms. Default 300000 (5 minutes). */
  timeoutMs?: number;
}

/** Where the grader's command line is, relative to the project. */
export const GRADER_BIN = path.join('grader', 'bin', 'clab-grade.js');

const EXIT_MEANING: Record<number, string> = {
  2: 'bad command line',
  3: 'the exercise files could not be read',
  4: 'the grader itself failed',
};

/** `ex03`, `ex03-infonce-bound` or `ex03-infonce-bound.ts` -> `ex03`; anything else throws listing the ids there. */
function exerciseIds(exercises: string | string[] | undefined, folder: string): string[] | undefined {
  if (exercises === undefined) return undefined;
  const list = Array.isArray(exercises) ? exercises : [exercises];
  const have = fs.existsSync(folder) ? [...new Set(fs.readdirSync(folder).map((f) => /^(ex\d{2})-[A-Za-z0-9_-]+\.ts$/.exec(f)?.[1]).filter((x): x is string => x !== undefined))].sort() : [];
  if (list.length === 0) throw new Error(`check: give an exercise id like 'ex03' (or none for all), got an empty list; exercises in ${folder}: ${have.join(', ') || 'none'}`);
  return list.map((x) => {
    const id = typeof x === 'string' ? /^(ex\d{2})(-[A-Za-z0-9_-]+(\.ts)?)?$/.exec(x)?.[1] : undefined;
    if (id === undefined || !have.includes(id)) {
      throw new Error(`check: unknown exercise ${JSON.stringify(x)}; exercises in ${folder}: ${have.join(', ') || 'none'}`);
    }
    return id;
  });
}

/** The last `n` characters of `s`, with a marker when cut. */
function tail(s: string, n = 1500): string {
  const t = s.trim();
  return t.length <= n ? t : `...${t.slice(-n)}`;
}

/**
 * Runs the grader's public tests exactly as `npm run check` does (the same CLI, the same sandbox),
 * as a child process (`node grader/bin/clab-grade.js check [dir] --json [--only ...]`), and
 * returns its result. The notebook never imports the grader: only its documented JSON crosses.
 * @param exercises an id (`'ex03'`), several, or undefined for every exercise
 * @param options the project, the exercise folder, the time limit
 * @returns the parsed `clab-grade/result@1` document
 * @throws clear errors for a missing node_modules or grader, a time-out, a grader failure
 *   (exit 2-4, with the end of its error output) and output that is not the JSON result
 * @example const r = await clab.notebook.runGraderCheck('ex03'); r.score
 */
export async function runGraderCheck(exercises?: string | string[], options: GraderCheckOptions = {}): Promise<GraderResult> {
  const root = projectRoot(options.root, 'check');
  const folder = options.dir !== undefined ? path.resolve(options.dir) : path.join(root, 'exercises');
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`check: timeoutMs must be a positive number of ms, got ${timeoutMs}`);
  const only = exerciseIds(exercises, folder);
  const bin = path.join(root, GRADER_BIN);
  if (!fs.existsSync(bin)) {
    throw new Error(`check: the grader is not in ${root} (no ${GRADER_BIN}); this is not a complete contrastive-lab checkout. Restore grader/ (e.g. git checkout -- grader) or open the notebooks of the repository you cloned.`);
  }
  if (!fs.existsSync(path.join(root, 'node_modules'))) {
    throw new Error(`check: ${path.join(root, 'node_modules')} is missing, so the grader cannot run; in a terminal, in ${root}, run \`npm ci\` (or \`npm start\`, which sets everything up), then run this cell again`);
  }
  const args = [bin, 'check'];
  if (options.dir !== undefined) args.push(folder);
  args.push('--json');
  if (only !== undefined) args.push('--only', only.join(','));
  const command = `npm run check${only !== undefined ? ` -- --only ${only.join(',')}` : ''}`;

  const { code, signal, stdout, stderr, timedOut } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }>((resolve, reject) => {
    // Its own process group, so a time-out stops the grader and everything it started.
    const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 3000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`check: could not start the grader (${process.execPath} ${GRADER_BIN}): ${e.message}`));
    });
    child.on('close', (c, s) => {
      clearTimeout(timer);
      resolve({ code: c, signal: s, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
  if (timedOut) {
    throw new Error(`check: the grader did not finish within ${(timeoutMs / 1000).toFixed(0)} s and was stopped. Run \`${command}\` in a terminal to watch it, or pass a longer limit: check(..., {timeoutMs: ${timeoutMs * 2}}).${stderr.trim() ? `\nIts last output:\n${tail(stderr, 600)}` : ''}`);
  }
  if (code !== 0 && code !== 1) {
    const why = code === null ? `it was killed by ${signal}` : `exit ${code}: ${EXIT_MEANING[code] ?? 'unexpected exit code'}`;
    throw new Error(`check: the grader failed (${why}). Its error output ends with:\n${tail(stderr) || '(nothing)'}`);
  }
  try {
    return parseGraderResult(stdout);
  } catch (e) {
    throw new Error(`check: the grader (exit ${code}) did not print the JSON result it should: ${(e as Error).message.replace(/^parseGraderResult: /, '')}${stderr.trim() ? `\nIts error output ends with:\n${tail(stderr, 600)}` : ''}`);
  }
}
