// Where a position in the JavaScript a cell ran comes from in the TypeScript the student wrote.
//
// tslab's converter gives no source map: it type-checks and emits the cell, then rewrites the
// output to CommonJS, and the kernel adds interrupt checks. Types and blank lines disappear,
// `exports.` and helper calls appear, but the tokens of the code itself stay in order. Aligning
// the two token sequences (the longest common subsequence, Myers' O(ND) diff) maps a token of
// the JavaScript to the same token of the cell, and a position inside code the compiler added
// to the next token the cell wrote.
import * as ts from '@tslab/typescript-for-tslab';

/** A zero-based line and column (UTF-16 code units, as V8 and TypeScript count them). */
export interface LineColumn {
  line: number;
  column: number;
}

interface Token {
  text: string;
  start: number;
}

/** The tokens of `code` (comments and whitespace skipped). */
export function tokenize(code: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, code);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push({ text: scanner.getTokenText(), start: scanner.getTokenPos() });
  }
  return tokens;
}

/** Beyond this many edits the alignment gives up (its trace grows with the square). */
const MAX_EDITS = 2000;

/**
 * Pairs [i, j] with a[i] === b[j] of a longest common subsequence of a and b, in increasing
 * order; null when more than `maxEdits` insertions and deletions separate them.
 */
export function commonSubsequence(a: readonly string[], b: readonly string[], maxEdits = MAX_EDITS): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  // v[k + limit + 1] = the furthest x on diagonal k = x - y; trace[d] = v over k in [-d-1, d+1] before step d.
  const v = new Int32Array(2 * limit + 3);
  const at = (k: number) => k + limit + 1;
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(at(-d - 1), at(d + 1) + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[at(k - 1)] < v[at(k + 1)]) ? v[at(k + 1)] : v[at(k - 1)] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[at(k)] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], last: number, n: number, m: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = last; d > 0; d--) {
    const snap = trace[d];
    const get = (k: number) => snap[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && get(k - 1) < get(k + 1)) ? k + 1 : k - 1;
    const prevX = get(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}

/** Offsets of the start of each line of `text`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function toOffset(starts: number[], text: string, p: LineColumn): number {
  const line = Math.min(Math.max(p.line, 0), starts.length - 1);
  return Math.min(starts[line] + Math.max(p.column, 0), text.length);
}

function toLineColumn(starts: number[], offset: number): LineColumn {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo] };
}

/** Maps positions in `generated` (what ran) to positions in `source` (what the student wrote). */
export class SourcePositions {
  private readonly sourceStarts: number[];
  private readonly generatedStarts: number[];
  private aligned: { source: Token[]; generated: Token[]; match: Int32Array } | null = null;

  constructor(
    readonly source: string,
    readonly generated: string,
  ) {
    this.sourceStarts = lineStarts(source);
    this.generatedStarts = lineStarts(generated);
  }

  /** Aligns the tokens on first use: tracebacks are rare, and most cells never need it. */
  private alignment() {
    if (this.aligned === null) {
      const source = tokenize(this.source);
      const generated = tokenize(this.generated);
      const match = new Int32Array(generated.length).fill(-1);
      const pairs = commonSubsequence(
        source.map((t) => t.text),
        generated.map((t) => t.text),
      );
      for (const [i, j] of pairs ?? []) match[j] = i;
      this.aligned = { source, generated, match };
    }
    return this.aligned;
  }

  /** Whether a zero-based line lies inside the generated code. */
  hasLine(line: number): boolean {
    return line >= 0 && line < this.generatedStarts.length;
  }

  /**
   * The position in the source of a position in the generated code: the same token, or, inside
   * code the compiler added, the next token the source has (the last one at the end).
   */
  toSource(p: LineColumn): LineColumn {
    const { source, generated, match } = this.alignment();
    const offset = toOffset(this.generatedStarts, this.generated, p);
    if (source.length === 0 || generated.length === 0) return { line: 0, column: 0 };
    // The generated token that holds the offset, or the last one before it.
    let lo = 0;
    let hi = generated.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (generated[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const j = lo;
    if (match[j] >= 0 && offset >= generated[j].start) {
      const token = source[match[j]];
      return toLineColumn(this.sourceStarts, token.start + Math.min(offset - generated[j].start, token.text.length));
    }
    for (let k = j + 1; k < generated.length; k++) if (match[k] >= 0) return toLineColumn(this.sourceStarts, source[match[k]].start);
    for (let k = j - 1; k >= 0; k--) if (match[k] >= 0) return toLineColumn(this.sourceStarts, source[match[k]].start);
    return { line: 0, column: 0 };
  }
}
