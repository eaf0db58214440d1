// clab-grade secret: makes the instructor secret that grade and grade-all derive every input from.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flag, verb } from '../command_line/flags';
import { DEFAULT_SECRET_FILE, SECRET_ENV, writeNewSecretFile } from '../engine/instructor_secret';
import { PROJECT_ROOT } from '../engine/project_root';
import { EXIT, UsageError } from '../exit_codes';

/** `clab-grade secret [--out FILE]`: writes a new instructor secret (never over an existing file). */
export const SECRET_VERB = verb({
  name: 'secret',
  summary: 'make the instructor secret grade and grade-all draw inputs from',
  description: [
    'Writes a new instructor secret (32 random bytes as hex, readable by you only) to --out; an',
    'existing file is never overwritten (the grades made with it could no longer be replayed).',
    'grade and grade-all derive every test input from it and each submission, so keep it private',
    `and keep it: the default file ${DEFAULT_SECRET_FILE} is listed in .gitignore and release refuses`,
    `to copy a secret. On GitHub Actions, store the file's text as the repository secret ${SECRET_ENV}.`,
  ].join('\n'),
  positionals: [],
  flags: {
    out: flag.string('FILE', 'where the secret goes', path.join(PROJECT_ROOT, DEFAULT_SECRET_FILE)),
  },
  run: async ({ flags: { out } }) => {
    if (fs.existsSync(out)) throw new UsageError(`secret: ${out} exists; a secret is never overwritten (the grades made with it could no longer be replayed): keep it, or give another --out`);
    const s = writeNewSecretFile(out);
    const isDefault = path.resolve(out) === path.join(PROJECT_ROOT, DEFAULT_SECRET_FILE);
    process.stdout.write(
      [
        `secret: wrote ${out} (fingerprint ${s.fingerprint}; reports and shard manifests name it by this fingerprint, never the secret).`,
        isDefault ? 'grade and grade-all in this repository use it when neither --secret nor $' + SECRET_ENV + ' is given.' : `Give it to grade and grade-all with --secret ${out}.`,
        'Keep it private (never in the student repository) and keep a copy: regrading a submission on the same inputs, and replaying a test, need it.',
        `On GitHub Actions: gh secret set ${SECRET_ENV} < ${out}`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
});
