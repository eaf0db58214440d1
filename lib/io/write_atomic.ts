import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see the old contents or the new, never half of it: the data goes
 * to a temp file in the same folder (same filesystem, so the rename is atomic), is flushed to
 * disk, then renamed over `file`. Missing parent folders are made. On any failure the temp file
 * is removed and `file` is left as it was.
 * @param file the path to write
 * @param data text (written as UTF-8) or bytes
 * @example writeAtomic('out/results.json', JSON.stringify(r))
 * WARNING: the plain-Node set-up scripts (scripts/setup/write_atomic.mjs) keep their own copy of
 * these lines: they run before node_modules and dist/ exist and cannot load TypeScript.
 */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  if (typeof file !== 'string' || file === '') throw new Error(`writeAtomic: file must be a non-empty path, got ${JSON.stringify(file)}`);
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
