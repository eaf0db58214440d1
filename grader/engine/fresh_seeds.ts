import { createHash, createHmac } from 'node:crypto';
import type { SeedOf } from './freeze_exercise';

/** The shortest instructor secret a fresh seed is derived from: 128 bits. */
export const SECRET_MIN_BYTES = 16;

/**
 * An exercise file's text as the digest sees it: a leading byte-order mark dropped and line
 * endings made `\n` (CRLF and lone CR), so the same work saved on Windows or on Linux, zipped or
 * as a folder, digests the same. Everything else counts: a changed comment is a changed
 * submission.
 * @param text the file's text as read (UTF-8 decoded)
 */
export function normaliseSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * The canonical digest of a submission: SHA-256 (hex) over every exercise file it holds, in
 * file-name order, each as its name, its byte length and its normalised text
 * ({@link normaliseSource}). Only the base names count (`Submission.files` keys), so where the
 * files sat in a folder or an archive does not matter. Every file counts, not only the graded
 * exercise's: the compiled files share one folder in the sandbox, so one file can read another.
 * @param files file name -> text, as `Submission.files` holds them
 * @example submissionDigest(new Map([['ex04-nt-xent.ts', src]])) // 64 hex digits
 */
export function submissionDigest(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256').update('clab-submission/1\n');
  for (const name of [...files.keys()].sort()) {
    const text = Buffer.from(normaliseSource(files.get(name) as string), 'utf8');
    h.update(`${name}\n${text.length}\n`).update(text).update('\n');
  }
  return h.digest('hex');
}

function checkSecret(fn: string, secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length < SECRET_MIN_BYTES) {
    const got = secret instanceof Uint8Array ? `${secret.length} bytes` : typeof secret;
    throw new Error(`${fn}: the secret must be at least ${SECRET_MIN_BYTES} random bytes, got ${got} (crypto.randomBytes(32) makes one)`);
  }
}

/**
 * The seed of one test's inputs for one submission: the first 32 bits (big-endian) of
 * HMAC-SHA256(secret, "clab-test-seed/1" NUL digest NUL exerciseId NUL testName), an integer in
 * [0, 2^32) for `seededRng`. The same secret, submission and test give the same seed (a regrade
 * is reproducible); any change to the submission gives unrelated seeds; without the secret
 * nothing about them can be predicted.
 * @param secret the instructor's secret, >= 16 bytes, never released
 * @param digest {@link submissionDigest} of the submission
 */
export function testSeed(secret: Uint8Array, digest: string, exerciseId: string, testName: string): number {
  checkSecret('testSeed', secret);
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`testSeed: digest must be 64 hex digits (submissionDigest), got ${JSON.stringify(digest.slice(0, 80))}`);
  const mac = createHmac('sha256', secret).update(`clab-test-seed/1\0${digest}\0${exerciseId}\0${testName}`).digest();
  return mac.readUInt32BE(0);
}

/**
 * Fresh seeds for every test of one submission, for `freezeExercise(spec, visibilities, seedOf)`.
 * @param secret the instructor's secret (>= 16 bytes)
 * @param files the submission's files (`Submission.files`)
 * @example freezeExercise(ex04, ['public', 'hidden'], freshSeeds(secret, submission.files))
 */
export function freshSeeds(secret: Uint8Array, files: ReadonlyMap<string, string>): SeedOf {
  checkSecret('freshSeeds', secret);
  const digest = submissionDigest(files);
  return (exerciseId, test) => testSeed(secret, digest, exerciseId, test.name);
}
