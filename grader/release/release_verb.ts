import * as fs from 'node:fs';
import { PROJECT_ROOT } from '../engine/project_root';
import { EXIT } from '../exit_codes';
import { UsageError } from '../command_line/usage_error';
import type { VerbSpec } from '../command_line/verb_spec';

/** `clab-grade release <out>`: its arguments (it has no flags). */
export const RELEASE_VERB: VerbSpec = {
  name: 'release',
  summary: 'write the student repository to <out>',
  description: [
    'Writes the student repository into a new or empty folder: exercises/ as stubs generated from',
    'solutions/, the public tests frozen as data, no solutions/, no hidden tests; then greps it for',
    'solution text and hidden test names.',
  ].join('\n'),
  positionals: [{ name: '<out>', help: 'a new or empty folder', required: true }],
  flags: {},
  run: async ({ positionals: [out] }) => {
    if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
      throw new UsageError(`release: ${out} is not an empty folder; give a new folder (nothing is written into one that has files)`);
    }
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { releaseCommand } = require('./release') as typeof import('./release');
    const r = releaseCommand(PROJECT_ROOT, out);
    process.stdout.write(`release: ${r.files} files in ${out}; exercises ${r.exercises.join(', ')}; ${r.publicTests} public tests frozen, ${r.hiddenTestsWithheld} hidden tests withheld; no solution text or hidden test name found\n`);
    return EXIT.ok;
  },
};
