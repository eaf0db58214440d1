// A zip archive's table of contents, read and checked before a single byte is inflated: the end
// record (zip64 too), every central directory entry, and every local header it points at. An
// archive that is too big, has too many entries, declares more than it can hold, or whose
// entries overlap or disagree with their local headers is refused as a whole with a
// SubmissionError that names the archive and the reason.
import { SubmissionError } from '../exit_codes';

const MB = 1024 * 1024;

/** Limits on an archive, checked from its central directory alone (see grader/README.md). */
export const ZIP_LIMITS = {
  /** Size of the .zip file itself. */
  archiveBytes: 50 * MB,
  /** Entries in the central directory (files, folders, links). */
  entries: 100_000,
  /** Sum of the sizes the entries declare once inflated. */
  declaredBytes: 1024 * MB,
  /**
   * Largest declared size / compressed size for a deflated entry. Deflate's own limit is about
   * 1032:1 (one 258-byte match per bit pair); a larger claim is a lie about the size.
   */
  deflateRatio: 1100,
};

/** What an entry holds, as its attributes say. */
export type ZipEntryKind = 'file' | 'directory' | 'symlink';

/** One checked central directory entry. */
export interface ZipEntry {
  /** Position in the central directory, from 0. */
  index: number;
  /** The name as stored, decoded (UTF-8, or Latin-1 when it is not valid UTF-8). */
  rawName: string;
  /** `/`-separated path without `./` or a trailing `/`: backslashes (PowerShell 5.1) become `/`. */
  path: string;
  /** Why the name is not a safe relative path (absolute, drive letter, `..`, NUL), else null. */
  unsafe: string | null;
  kind: ZipEntryKind;
  /** 0 stored, 8 deflate; anything else cannot be read. */
  method: number;
  encrypted: boolean;
  crc32: number;
  compressedSize: number;
  /** The size it declares once inflated. */
  size: number;
  /** Offset of its compressed bytes (just after its local header). */
  dataOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;

/** `52.3 MB`: sizes in messages (1 MB = 2^20 bytes, as the limits are written). */
export function formatBytes(n: number): string {
  if (n >= 1024 * MB) return `${(n / (1024 * MB)).toFixed(1)} GB`;
  if (n >= MB) return `${(n / MB).toFixed(1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/**
 * Reads and checks the central directory of a zip archive held in memory.
 * @param buf the whole archive (at most {@link ZIP_LIMITS}.archiveBytes)
 * @param label the archive as the user named it, for messages
 * @returns every entry, in central directory order
 * @throws SubmissionError naming the archive and the reason when it cannot be read or is refused
 */
export function readZipDirectory(buf: Buffer, label: string): ZipEntry[] {
  function refuse(why: string): never {
    throw new SubmissionError(`${label}: ${why}`);
  }
  function corrupt(why: string): never {
    refuse(`not a readable zip file (${why}); make the zip again`);
  }
  if (buf.length > ZIP_LIMITS.archiveBytes) refuse(`too large: ${formatBytes(buf.length)}, the limit is ${formatBytes(ZIP_LIMITS.archiveBytes)}`);
  const end = findEndRecord(buf) ?? corrupt('no end of central directory record: truncated, or not a zip');
  if (buf.readUInt16LE(end + 4) !== 0 || buf.readUInt16LE(end + 6) !== 0) refuse('a split (multi-volume) archive; make one .zip file');
  let count = buf.readUInt16LE(end + 10);
  let cdSize = buf.readUInt32LE(end + 12);
  let cdOffset = buf.readUInt32LE(end + 16);
  let cdLimit = end; // the central directory must end before the (zip64) end records
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = end - 20;
    if (loc >= 0 && buf.readUInt32LE(loc) === SIG_ZIP64_LOCATOR) {
      const rec = safeNumber(buf.readBigUInt64LE(loc + 8));
      if (rec < 0 || rec + 56 > loc || buf.readUInt32LE(rec) !== SIG_ZIP64_EOCD) corrupt('the zip64 end record is missing or out of place');
      count = safeNumber(buf.readBigUInt64LE(rec + 32));
      cdSize = safeNumber(buf.readBigUInt64LE(rec + 40));
      cdOffset = safeNumber(buf.readBigUInt64LE(rec + 48));
      cdLimit = rec;
    }
  }
  if (count > ZIP_LIMITS.entries) refuse(`${count} entries, the limit is ${ZIP_LIMITS.entries}`);
  if (cdOffset + cdSize > cdLimit) corrupt('the central directory runs past the end of the archive');

  const entries: ZipEntry[] = [];
  const locals: Array<{ offset: number; nameBytes: Buffer; flags: number }> = [];
  let declared = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== SIG_CENTRAL) corrupt(`central directory entry ${i + 1} of ${count} is damaged`);
    const madeBy = buf.readUInt8(p + 5);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc32 = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let localOffset = buf.readUInt32LE(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdOffset + cdSize) corrupt(`central directory entry ${i + 1} of ${count} runs past the directory`);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    const z64 = extraField(extra, 0x0001);
    if (z64 !== null) {
      let q = 0;
      const take = (): number => {
        if (q + 8 > z64.length) corrupt(`entry ${i + 1} has a short zip64 field`);
        q += 8;
        return safeNumber(z64.readBigUInt64LE(q - 8));
      };
      if (size === 0xffffffff) size = take();
      if (compressedSize === 0xffffffff) compressedSize = take();
      if (localOffset === 0xffffffff) localOffset = take();
    }
    const rawName = decodeName(nameBytes, (flags & FLAG_UTF8) !== 0, extraField(extra, 0x7075));
    const { path, unsafe } = normaliseName(rawName);
    const unixMode = madeBy === 3 || madeBy === 19 ? external >>> 16 : 0;
    const kind: ZipEntryKind =
      (unixMode & 0o170000) === 0o120000 ? 'symlink' : rawName.endsWith('/') || rawName.endsWith('\\') || (unixMode & 0o170000) === 0o040000 || (external & 0x10) !== 0 ? 'directory' : 'file';
    declared += size;
    if (declared > ZIP_LIMITS.declaredBytes) refuse(`its entries declare more than ${formatBytes(ZIP_LIMITS.declaredBytes)} once inflated (a zip bomb, or not a course submission)`);
    if (method === 8 && size > Math.max(compressedSize, 1) * ZIP_LIMITS.deflateRatio) {
      refuse(`${path || rawName} declares ${formatBytes(size)} from ${formatBytes(compressedSize)} of deflate data, more than deflate can produce (a zip bomb, or a corrupt zip)`);
    }
    if (method === 0 && size !== compressedSize) corrupt(`${path || rawName} is stored uncompressed but declares ${size} bytes in ${compressedSize}`);
    entries.push({ index: i, rawName, path, unsafe, kind, method, encrypted: (flags & FLAG_ENCRYPTED) !== 0, crc32, compressedSize, size, dataOffset: -1 });
    locals.push({ offset: localOffset, nameBytes, flags });
    p = next;
  }
  const order = entries.map((_, i) => i).sort((a, b) => locals[a].offset - locals[b].offset);
  for (let k = 1; k < order.length; k++) {
    if (locals[order[k]].offset !== locals[order[k - 1]].offset) continue;
    const shared = order.filter((i) => locals[i].offset === locals[order[k]].offset).map((i) => entries[i].path || entries[i].rawName);
    refuse(`entries overlap: ${shared.length} entries (${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', ...' : ''}) point at the same data (a zip bomb, or a corrupt zip)`);
  }
  for (const [i, e] of entries.entries()) checkLocalHeader(buf, e, locals[i].offset, locals[i].nameBytes, locals[i].flags, cdOffset, corrupt);
  checkNoOverlap(entries, order, locals.map((l) => l.offset), refuse);
  return entries;
}

/**
 * The end of central directory record's offset: the last signature whose comment ends the file,
 * else (bytes appended after the archive, as some uploads pad it) the last whose comment fits.
 */
function findEndRecord(buf: Buffer): number | null {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  let fits: number | null = null;
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) !== SIG_EOCD) continue;
    const end = i + 22 + buf.readUInt16LE(i + 20);
    if (end === buf.length) return i;
    if (end < buf.length) fits ??= i;
  }
  return fits;
}

function safeNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** The data of the first extra field with this header id, or null. */
function extraField(extra: Buffer, id: number): Buffer | null {
  for (let q = 0; q + 4 <= extra.length; ) {
    const len = extra.readUInt16LE(q + 2);
    if (extra.readUInt16LE(q) === id) return extra.subarray(q + 4, Math.min(extra.length, q + 4 + len));
    q += 4 + len;
  }
  return null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The entry's name: UTF-8 when flagged or valid, else Info-ZIP's Unicode path field when it
 * matches, else Latin-1 (a guess at an old code page; only the ASCII names of exercise files
 * and folders are ever matched, and those read the same in every one).
 */
function decodeName(bytes: Buffer, utf8: boolean, unicodePath: Buffer | null): string {
  if (!utf8 && unicodePath !== null && unicodePath.length > 5 && unicodePath[0] === 1 && unicodePath.readUInt32LE(1) === crc32(bytes)) {
    return unicodePath.subarray(5).toString('utf8');
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** A name as a relative `/` path, and why it is unsafe when it is not one. */
export function normaliseName(raw: string): { path: string; unsafe: string | null } {
  const slashed = raw.replace(/\\/g, '/');
  let unsafe: string | null = null;
  if (slashed.includes('\0')) unsafe = 'a NUL character in its name';
  else if (slashed.startsWith('/')) unsafe = 'an absolute path';
  else if (/^[A-Za-z]:/.test(slashed)) unsafe = 'a drive letter';
  const parts = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (unsafe === null && parts.includes('..')) unsafe = 'a ".." in its path';
  return { path: parts.join('/'), unsafe };
}

/**
 * The local header must be where the directory says, with the same name, method and encryption,
 * and (without a data descriptor) the same CRC and sizes; sets the entry's data offset.
 */
function checkLocalHeader(buf: Buffer, e: ZipEntry, offset: number, nameBytes: Buffer, flags: number, cdOffset: number, corrupt: (why: string) => never): void {
  const what = e.path || e.rawName;
  if (offset + 30 > cdOffset || buf.readUInt32LE(offset) !== SIG_LOCAL) corrupt(`${what}: no local header where the central directory points`);
  const localFlags = buf.readUInt16LE(offset + 6);
  const nameLen = buf.readUInt16LE(offset + 26);
  const extraLen = buf.readUInt16LE(offset + 28);
  const data = offset + 30 + nameLen + extraLen;
  if (data > cdOffset) corrupt(`${what}: its local header runs into the central directory`);
  if (!buf.subarray(offset + 30, offset + 30 + nameLen).equals(nameBytes)) {
    corrupt(`${what}: the local header names ${JSON.stringify(buf.subarray(offset + 30, offset + 30 + nameLen).toString('latin1'))}`);
  }
  if (buf.readUInt16LE(offset + 8) !== e.method || (localFlags & FLAG_ENCRYPTED) !== (flags & FLAG_ENCRYPTED)) corrupt(`${what}: the local header's method or encryption differs from the central directory's`);
  if ((localFlags & FLAG_DATA_DESCRIPTOR) === 0) {
    const [crc, comp, size] = [buf.readUInt32LE(offset + 14), buf.readUInt32LE(offset + 18), buf.readUInt32LE(offset + 22)];
    const sameSizes = (comp === 0xffffffff || comp === e.compressedSize) && (size === 0xffffffff || size === e.size);
    if (crc !== e.crc32 || !sameSizes) corrupt(`${what}: the local header's CRC or sizes differ from the central directory's`);
  }
  if (data + e.compressedSize > cdOffset) corrupt(`${what}: its data runs into the central directory`);
  e.dataOffset = data;
}

/** No two entries may share bytes: overlapping entries are how one stream inflates many times. */
function checkNoOverlap(entries: ZipEntry[], order: number[], localOffsets: number[], refuse: (why: string) => never): void {
  for (let k = 1; k < order.length; k++) {
    const [a, b] = [entries[order[k - 1]], entries[order[k]]];
    if (a.dataOffset + a.compressedSize > localOffsets[order[k]]) {
      const sharing = order.filter((i) => localOffsets[i] < a.dataOffset + a.compressedSize && entries[i].dataOffset + entries[i].compressedSize > localOffsets[order[k - 1]]).length;
      refuse(`entries overlap: ${a.path || a.rawName} and ${b.path || b.rawName}${sharing > 2 ? ` (and ${sharing - 2} more)` : ''} share compressed bytes (a zip bomb, or a corrupt zip)`);
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 as zip stores it (IEEE 802.3, reflected). */
export function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
