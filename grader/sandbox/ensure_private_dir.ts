import * as fs from 'node:fs';

/**
 * Creates `dir` (0755) if missing and checks that it is this user's alone: a real folder (not a
 * link), owned by this uid, writable by nobody else. The grader keeps staged packages and canary
 * verdicts there, under a world-writable temp folder where another local user could have made
 * the folder first and planted files.
 * @throws Error naming the folder, its mode and owner, and the fix
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.() ?? -1;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a folder owned by uid ${uid} that only it can write (mode ${(st.mode & 0o777).toString(8)}, owner ${st.uid}); remove it or set TMPDIR elsewhere`);
  }
}
