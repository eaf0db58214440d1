// The instructor secret that fresh inputs are derived from (fresh_seeds.ts): how it is made,
// written, read back and named in reports without being revealed.
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SubmissionError } from '../exit_codes';
import { SECRET_MIN_BYTES } from './fresh_seeds';

/** The environment variable that holds the secret (the text of a secret file, or its hex digits): a CI secret. */
export const SECRET_ENV = 'CLAB_GRADE_SECRET';

/** The secret's default file, relative to the course repository (listed in .gitignore, never released). */
export const DEFAULT_SECRET_FILE = '.clab-grade-secret';

/** Bytes of a secret that `clab-grade secret` makes. */
const SECRET_BYTES = 32;

/** The first line of a secret file: what `release` recognises a secret file by, wherever it sits. */
const HEADER = '# clab-grade instructor secret: grade and grade-all derive every test input from it.';

/** The command that makes a secret, for messages. */
export const MAKE_SECRET = 'clab-grade secret --out FILE';

/** An instructor secret, read and checked. */
export interface InstructorSecret {
  bytes: Buffer;
  /** Names the secret in reports and shard manifests; reveals nothing of it ({@link secretFingerprint}). */
  fingerprint: string;
  /** Where it came from, for messages: `--secret FILE`, `$CLAB_GRADE_SECRET`, the default file. */
  source: string;
}

/**
 * The fingerprint of a secret: 16 hex digits of HMAC-SHA256(secret, "clab-grade secret
 * fingerprint/1"). Two runs with the same fingerprint used the same secret (merge compares them);
 * the secret cannot be recovered from it.
 */
export function secretFingerprint(bytes: Uint8Array): string {
  return createHmac('sha256', bytes).update('clab-grade secret fingerprint/1').digest('hex').slice(0, 16);
}

/** The text of a secret file: the header, how to keep it, and the secret as hex digits. */
export function secretFileText(bytes: Uint8Array): string {
  return [
    HEADER,
    '# Keep it private: never commit it to the student repository (release refuses to copy it).',
    `# On GitHub Actions, store this whole text as the repository secret ${SECRET_ENV}.`,
    Buffer.from(bytes).toString('hex'),
    '',
  ].join('\n');
}

/** Whether `text` is a secret file (its first line is the header {@link secretFileText} writes). */
export function isSecretFileText(text: string): boolean {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] === HEADER;
}

/**
 * The secret in a secret file's text (or the bare hex digits, as a CI secret may hold them):
 * lines starting with `#` and blank lines are skipped, the rest must be hex digits.
 * @param where the file or variable, for messages
 * @param fix what to do about a bad secret, for messages
 * @throws SubmissionError (exit 3) naming `where` when the text is not hex or the secret is shorter than 16 bytes; the message never shows the text
 */
export function parseSecretText(text: string, where: string, fix: string): Buffer {
  const hex = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .join('');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) {
    throw new SubmissionError(`${where} does not hold a clab-grade secret (expected hex digits, as ${MAKE_SECRET} writes them, after its # lines); ${fix}`);
  }
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length < SECRET_MIN_BYTES) {
    throw new SubmissionError(`${where} holds a ${bytes.length}-byte secret; a secret needs at least ${SECRET_MIN_BYTES} random bytes (${2 * SECRET_MIN_BYTES} hex digits); ${fix}`);
  }
  return bytes;
}

/**
 * Reads a secret file.
 * @param source how the file was given, for messages (`--secret FILE`)
 * @throws SubmissionError (exit 3) naming the file and the fix when it cannot be read or holds no valid secret
 */
export function readSecretFile(file: string, source = file): InstructorSecret {
  const fix = `make a new one with ${MAKE_SECRET.replace('FILE', file)}`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (e as Error).message})`;
    throw new SubmissionError(`the instructor secret ${file} ${why}; give the file ${MAKE_SECRET.split(' --')[0]} wrote, or ${fix}`);
  }
  const bytes = parseSecretText(text, `the instructor secret ${file}`, fix);
  return { bytes, fingerprint: secretFingerprint(bytes), source };
}

/**
 * Writes a new secret file (32 random bytes), readable by its owner only; never overwrites.
 * @throws SubmissionError when the file exists or cannot be written
 */
export function writeNewSecretFile(file: string, replace = false): InstructorSecret {
  const bytes = randomBytes(SECRET_BYTES);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (replace) fs.rmSync(file, { force: true });
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SubmissionError(`${file} exists; a secret is never overwritten (every grade made with it could no longer be replayed): move it away or give another --out`);
    throw new SubmissionError(`cannot write ${file} (${code ?? (e as Error).message})`);
  }
  try {
    fs.writeSync(fd, secretFileText(bytes));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, fingerprint: secretFingerprint(bytes), source: file };
}

/**
 * The secrets this repository grades with when no `--secret` is given: {@link SECRET_ENV} and the
 * default file, each when it holds a valid secret (release checks that neither reaches students).
 */
export function knownSecrets(projectRoot: string, env: NodeJS.ProcessEnv = process.env): InstructorSecret[] {
  const out: InstructorSecret[] = [];
  const text = env[SECRET_ENV];
  const readers = [
    () => (text ? parseSecretText(text, SECRET_ENV, '') : null),
    () => (fs.existsSync(path.join(projectRoot, DEFAULT_SECRET_FILE)) ? readSecretFile(path.join(projectRoot, DEFAULT_SECRET_FILE)).bytes : null),
  ];
  for (const read of readers) {
    try {
      const bytes = read();
      if (bytes !== null) out.push({ bytes, fingerprint: secretFingerprint(bytes), source: '' });
    } catch {
      // Not a valid secret: grade and grade-all refuse it, and it cannot be the one grades used.
    }
  }
  return out;
}

/** Where {@link findSecret} looks, and what it found. */
export interface SecretLookup {
  secret: InstructorSecret | null;
  /** Every place looked at, in order, for the message when there is none. */
  looked: string[];
}

/**
 * The instructor secret for `grade` and `grade-all`, from the first of: `--secret FILE`, the
 * environment variable {@link SECRET_ENV} (empty counts as unset: GitHub gives an unset
 * repository secret as ''), the default file {@link DEFAULT_SECRET_FILE} in the course repository.
 * @param flag the value of `--secret`, if given
 * @param projectRoot the course repository
 * @param env the environment (default process.env)
 * @returns the secret, or null when none is given anywhere
 * @throws SubmissionError (exit 3) when the one given is unreadable or too short
 */
export function findSecret(flag: string | undefined, projectRoot: string, env: NodeJS.ProcessEnv = process.env): SecretLookup {
  const defaultFile = path.join(projectRoot, DEFAULT_SECRET_FILE);
  const looked = ['--secret FILE', `$${SECRET_ENV}${env[SECRET_ENV] === '' ? ' (set, but empty: on GitHub Actions, the repository secret is missing)' : ''}`, defaultFile];
  if (flag !== undefined) return { secret: readSecretFile(flag, `--secret ${flag}`), looked };
  const text = env[SECRET_ENV];
  if (text !== undefined && text !== '') {
    const bytes = parseSecretText(text, `$${SECRET_ENV}`, `set it to the text of a file ${MAKE_SECRET} made`);
    return { secret: { bytes, fingerprint: secretFingerprint(bytes), source: `$${SECRET_ENV}` }, looked };
  }
  if (fs.existsSync(defaultFile)) return { secret: readSecretFile(defaultFile), looked };
  return { secret: null, looked };
}
