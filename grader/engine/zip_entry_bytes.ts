import * as zlib from 'node:zlib';
import { SubmissionError } from '../exit_codes';
import { crc32, type ZipEntry } from './zip_directory';

const METHODS: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'xz', 98: 'PPMd', 99: 'AES encryption' };

/**
 * The bytes of one checked entry (see readZipDirectory), inflated with a hard cap: zlib stops
 * as soon as the output passes the size the entry declares, which the caller has already
 * bounded, so a lying header costs at most that many bytes of work. The output must have
 * exactly the declared size and CRC.
 * @param buf the whole archive
 * @param e an entry of that archive, with `e.size` no larger than the caller accepts
 * @param label the archive as the user named it, for messages
 * @throws SubmissionError when the entry is encrypted, uses a method other than stored or
 *   deflate, or does not inflate to what it declares
 */
export function zipEntryBytes(buf: Buffer, e: ZipEntry, label: string): Buffer {
  function refuse(why: string): never {
    throw new SubmissionError(`${label}: ${e.path} ${why}`);
  }
  if (e.encrypted || e.method === 99) refuse('is encrypted; make the zip without a password');
  if (e.method !== 0 && e.method !== 8) {
    refuse(`is compressed with ${METHODS[e.method] ?? `method ${e.method}`}, which the grader cannot read; make the zip with Deflate (the default of zip, 7-Zip, Windows and macOS)`);
  }
  const data = buf.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) out = data;
  else {
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.size, 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') refuse(`inflates to more than the ${e.size} bytes it declares (a zip bomb, or a corrupt zip)`);
      refuse(`cannot be inflated (${(err as Error).message}); the zip is corrupt, make it again`);
    }
  }
  if (out.length !== e.size) refuse(`inflates to ${out.length} bytes but declares ${e.size}; the zip is corrupt, make it again`);
  if (crc32(out) !== e.crc32) refuse('fails its CRC check; the zip is corrupt, make it again');
  return out;
}
