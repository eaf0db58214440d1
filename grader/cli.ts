#!/usr/bin/env node
// clab-grade: the verb table. Parsing, --help and exit codes: command_line/; each verb declares
// its arguments, flags and defaults, and does its work, in its own folder (<verb>/<verb>.ts).
import { CHECK_VERB } from './check/check';
import type { Verb } from './command_line/flags';
import { runCommandLine } from './command_line/run_command_line';
import { stopTypecheckWorker } from './engine/typecheck_async';
import { GRADE_ALL_VERB } from './grade_all/grade_all';
import { GRADE_VERB } from './grade/grade';
import { MERGE_VERB } from './merge/merge';
import { RELEASE_VERB } from './release/release';
import { REPLAY_VERB } from './replay/replay';
import { SECRET_VERB } from './secret/secret';
import { VERIFY_VERB } from './verify/verify';

/** Every verb, in the order --help lists them. */
export const VERBS: Verb[] = [CHECK_VERB, GRADE_VERB, GRADE_ALL_VERB, MERGE_VERB, REPLAY_VERB, SECRET_VERB, RELEASE_VERB, VERIFY_VERB];

/** Runs one command line; resolves to the exit code (never rejects). */
export async function main(argv: string[]): Promise<number> {
  // tfjs is loaded where this process makes tensors (engine/reference_output.ts: loadTfjs).
  try {
    return await runCommandLine(VERBS, argv);
  } finally {
    await stopTypecheckWorker();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
