import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubmissionError } from '../exit_codes';
import { DEFAULT_SECRET_FILE, findSecret, isSecretFileText, parseSecretText, readSecretFile, SECRET_ENV, secretFileText, secretFingerprint, writeNewSecretFile } from './instructor_secret';

describe('the instructor secret: made, kept, read back and named by its fingerprint', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-secret-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writeNewSecretFile writes 32 random bytes as hex under a header, readable by its owner only, and never overwrites', () => {
    const file = path.join(dir, 'a', 'secret.txt');
    const s = writeNewSecretFile(file);
    assert.equal(s.bytes.length, 32);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(isSecretFileText(text) && text.includes(s.bytes.toString('hex')));
    assert.deepEqual(readSecretFile(file).bytes, s.bytes);
    assert.throws(() => writeNewSecretFile(file), /secret.txt exists; a secret is never overwritten/);
    assert.notDeepEqual(writeNewSecretFile(file, true).bytes, s.bytes, 'replace: a new secret');
  });

  it('secretFingerprint(s) is 16 hex digits, the same for the same secret and different for another, and is not the secret', () => {
    const a = Buffer.alloc(16, 1);
    const b = Buffer.alloc(16, 2);
    assert.match(secretFingerprint(a), /^[0-9a-f]{16}$/);
    assert.equal(secretFingerprint(Buffer.from(a)), secretFingerprint(a));
    assert.notEqual(secretFingerprint(a), secretFingerprint(b));
    assert.ok(!a.toString('hex').includes(secretFingerprint(a)));
  });

  it('parseSecretText reads the file text or bare hex (CRLF, blank and # lines allowed); not hex or under 16 bytes is exit 3 naming where and the fix, never echoing the text', () => {
    const bytes = Buffer.alloc(20, 0xab);
    assert.deepEqual(parseSecretText(secretFileText(bytes).replace(/\n/g, '\r\n'), 'x', 'fix'), bytes);
    assert.deepEqual(parseSecretText(`  ${bytes.toString('hex').toUpperCase()}\n`, 'x', 'fix'), bytes);
    assert.throws(() => parseSecretText('correct horse battery staple', '$CLAB_GRADE_SECRET', 'set it again'), (e: Error) => {
      assert.ok(e instanceof SubmissionError);
      assert.match(e.message, /^\$CLAB_GRADE_SECRET does not hold a clab-grade secret \(expected hex digits, as clab-grade secret --out FILE writes them, after its # lines\); set it again$/);
      return true;
    });
    assert.throws(() => parseSecretText('00'.repeat(15), 'the instructor secret s.txt', 'make a new one'), /^SubmissionError: the instructor secret s.txt holds a 15-byte secret; a secret needs at least 16 random bytes \(32 hex digits\); make a new one$/);
    assert.throws(() => parseSecretText('', 'f', 'fix'), /does not hold a clab-grade secret/);
  });

  it('readSecretFile of a missing file or a folder is exit 3 naming the file and how to make one', () => {
    assert.throws(() => readSecretFile(path.join(dir, 'nope')), (e: Error) => e instanceof SubmissionError && /^the instructor secret .*nope does not exist; give the file clab-grade secret wrote, or make a new one with clab-grade secret --out .*nope$/.test(e.message));
    assert.throws(() => readSecretFile(dir), /is a folder/);
  });

  it('findSecret takes --secret, else $CLAB_GRADE_SECRET (empty counts as unset, and is said), else the default file; none is null with the places looked at', () => {
    const root = fs.mkdtempSync(path.join(dir, 'root-'));
    const flagged = writeNewSecretFile(path.join(dir, 'flag.txt'));
    const env = Buffer.alloc(16, 9);
    assert.equal(findSecret(undefined, root, {}).secret, null);
    assert.match(findSecret(undefined, root, { [SECRET_ENV]: '' }).looked.join(', '), /\$CLAB_GRADE_SECRET \(set, but empty: on GitHub Actions, the repository secret is missing\)/);
    const byDefault = writeNewSecretFile(path.join(root, DEFAULT_SECRET_FILE));
    assert.equal(findSecret(undefined, root, { [SECRET_ENV]: '' }).secret?.fingerprint, byDefault.fingerprint);
    const fromEnv = findSecret(undefined, root, { [SECRET_ENV]: env.toString('hex') }).secret!;
    assert.deepEqual([fromEnv.bytes, fromEnv.source], [env, '$CLAB_GRADE_SECRET']);
    const fromFlag = findSecret(path.join(dir, 'flag.txt'), root, { [SECRET_ENV]: env.toString('hex') }).secret!;
    assert.deepEqual([fromFlag.fingerprint, fromFlag.source], [flagged.fingerprint, `--secret ${path.join(dir, 'flag.txt')}`]);
    assert.throws(() => findSecret(path.join(dir, 'missing.txt'), root), /missing.txt does not exist/);
    assert.throws(() => findSecret(undefined, root, { [SECRET_ENV]: 'abcd' }), /\$CLAB_GRADE_SECRET holds a 2-byte secret/);
  });
});
