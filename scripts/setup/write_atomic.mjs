// Atomic file write for the plain-Node scripts (set-up, pip, notebook stripping). They run before
// node_modules and dist/ exist, so they cannot load lib/io/write_atomic.ts, the one the
// TypeScript code uses; keep the two in step (same temp-file naming, fsync, clean-up on failure).
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `file` via a temp file in the same folder, fsync and a rename: readers see the old
 * contents or the new, never half. Makes missing folders; removes the temp file on failure.
 * @param {string} file
 * @param {string | Uint8Array} data text (UTF-8) or bytes
 */
export function writeAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
