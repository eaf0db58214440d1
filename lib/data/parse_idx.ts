/** An IDX array: its dimensions and its unsigned-byte data (a view, not a copy). */
export interface IdxArray {
  /** The magic number: 2051 for MNIST images (3 dims), 2049 for labels (1 dim). */
  magic: number;
  /** Sizes per dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  /** [prod(dims)] bytes, row-major; a view into the input bytes. */
  data: Uint8Array;
}

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** What {@link parseIdxHeader} reads: magic number, dimensions and where the data starts. */
export interface IdxHeader {
  magic: number;
  dims: number[];
  /** Header length in bytes (4 + 4 * dims.length); the data starts here. */
  headerBytes: number;
}

/**
 * Validates an IDX header against the file's size without reading the data (so big files can be
 * streamed). Checks the magic number, the data type (unsigned byte), the header length and that
 * the file size matches the header exactly; every error names the file and what is wrong.
 * @param head the file's first bytes (at least the header: 4 + 4 * ndims bytes, or the whole file)
 * @param fileSize the file's total size in bytes
 * @param file the file's name or path, for error messages
 * @returns magic number, dims and header length
 * @example const h = parseIdxHeader(first1024Bytes, fs.statSync(p).size, p);
 */
export function parseIdxHeader(head: Uint8Array, fileSize: number, file = '<buffer>'): IdxHeader {
  const where = `parseIdx: ${file}`;
  if (fileSize < 4 || head.length < 4) {
    throw new Error(`${where} is truncated: ${fileSize} bytes, shorter than the 4-byte IDX magic number`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0, false);
  if (head[0] !== 0 || head[1] !== 0) {
    const gz = head[0] === 0x1f && head[1] === 0x8b ? ' (it starts like gzip: decompress it first)' : '';
    throw new Error(
      `${where} is not an IDX file: magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}) ` +
        `must start with two zero bytes, e.g. 2051 for images, 2049 for labels${gz}`,
    );
  }
  const type = head[2];
  const ndims = head[3];
  if (type !== UBYTE) {
    const name = TYPE_NAMES[type] ?? 'unknown';
    throw new Error(`${where}: data type 0x${type.toString(16)} (${name}) is not unsigned byte (0x08)`);
  }
  if (ndims === 0) {
    throw new Error(`${where}: magic number ${magic} declares 0 dimensions`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (fileSize < headerBytes || head.length < headerBytes) {
    throw new Error(
      `${where} is truncated: ${fileSize} bytes, shorter than its ${headerBytes}-byte header (${ndims} dimensions)`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + dataBytes;
  if (fileSize < expected) {
    throw new Error(
      `${where} is truncated: header says ${dims.join(' x ')} = ${dataBytes} data bytes ` +
        `(${expected} bytes in all), file has ${fileSize} bytes`,
    );
  }
  if (fileSize > expected) {
    throw new Error(
      `${where} is corrupt: ${fileSize - expected} bytes after the ${dims.join(' x ')} data ` +
        `the header declares (expected ${expected} bytes, file has ${fileSize})`,
    );
  }
  return { magic, dims, headerBytes };
}

/**
 * Parses and validates a whole IDX file (the MNIST file format) of unsigned bytes; see
 * {@link parseIdxHeader} for the checks.
 * @param bytes the whole file's bytes
 * @param file the file's name or path, used in error messages
 * @returns magic number, dimensions and a view of the data
 * @example const { dims } = parseIdx(fs.readFileSync(path), path); // [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, file = '<buffer>'): IdxArray {
  const { magic, dims, headerBytes } = parseIdxHeader(bytes, bytes.length, file);
  return { magic, dims, data: bytes.subarray(headerBytes) };
}
