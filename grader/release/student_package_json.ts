import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';

/**
 * The package.json scripts a student repository keeps, with what they run there. `test` is the
 * student's own (scripts/student_test.mjs: set-up, course files verified, type-check, public-test
 * score per exercise, quick notebooks); `verify` compares the course files with the release manifest. Everything else (gen:exercises, grade, grade-all, release, bench:*, the
 * instructor's test:unit and suite) needs solutions/, hidden specs or bench/ and is dropped.
 */
export const STUDENT_SCRIPTS = ['setup', 'start', 'test', 'check', 'verify', 'notebooks', 'notebooks:strip', 'build', 'typecheck'];

/** What {@link studentPackageJson} kept and dropped. */
export interface StudentScripts {
  kept: string[];
  dropped: string[];
}

/** The project files a script line runs (`node scripts/x.mjs`, `node grader/bin/clab-grade.js`, `tsc -p tsconfig.json`). */
function filesRun(line: string): string[] {
  return [...line.matchAll(/(?:^|\s)((?:[\w.-]+\/)*[\w.-]+\.(?:mjs|cjs|js|ts|json))(?=\s|$)/g)].map((m) => m[1]);
}

/**
 * Rewrites the released package.json: only {@link STUDENT_SCRIPTS}, `test` pointing at the
 * student test, everything else (dependencies, lock-compatible fields) unchanged, so `npm ci`
 * works from the released package-lock.json.
 * @param out the release folder (package.json and the scripts already copied)
 * @throws when a kept script runs a file the release does not have
 */
export function studentPackageJson(out: string): StudentScripts {
  const file = path.join(out, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
  const scripts = pkg.scripts ?? {};
  const kept: Record<string, string> = {};
  for (const k of STUDENT_SCRIPTS) if (scripts[k] !== undefined) kept[k] = scripts[k];
  kept.test = 'node scripts/student_test.mjs';
  const missing = Object.entries(kept).flatMap(([k, line]) => filesRun(line).filter((f) => !fs.existsSync(path.join(out, f))).map((f) => `${k}: ${f}`));
  if (missing.length > 0) throw new Error(`release: package.json scripts would run files the student repository lacks (${missing.join(', ')}); keep those files or drop the scripts`);
  const dropped = Object.keys(scripts).filter((k) => !(k in kept));
  writeAtomic(file, JSON.stringify({ ...pkg, scripts: kept }, null, 2) + '\n');
  return { kept: Object.keys(kept), dropped };
}
