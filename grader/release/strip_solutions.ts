/**
 * The exercise transform: turns a solution source into the student's exercise source.
 *
 * Pure string -> string (no fs, no tfjs). It is the grader's single-source tooling: the
 * `release` verb uses it, and `scripts/gen_exercises.ts` imports it from here (scripts may
 * import the grader; the grader never imports scripts/).
 *
 * Markers are whole lines: `// BEGIN SOLUTION` and `// END SOLUTION` (leading whitespace
 * allowed, nothing else on the line). Everything from a BEGIN line to its END line, both
 * included, becomes:
 *
 * ```ts
 *   // TODO BEGIN: write your code here, then delete the throw below.
 *   throw new Error('ex01 tripletLoss: not implemented yet - write your code between the TODO markers in exercises/ex01-triplet.ts');
 *   // TODO END
 * ```
 *
 * The stub throws, so any return type still type-checks under `strict`. Code outside the
 * blocks (imports, signatures, TSDoc) is kept byte for byte. Nested blocks, an END without a
 * BEGIN, a BEGIN without an END, and lines that mention the markers in any other form are
 * errors naming the file and line ({@link SolutionMarkerError}).
 */

/** Thrown for unbalanced, nested or malformed `// BEGIN SOLUTION` / `// END SOLUTION` markers. */
export class SolutionMarkerError extends Error {
  constructor(
    /** File the markers are in, as given in {@link StripOptions.sourcePath}. */
    readonly file: string,
    /** 1-based line number of the offending marker. */
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SolutionMarkerError';
  }
}

/** Options for {@link stripSolutions}. */
export interface StripOptions {
  /** Path of the solution file, used in error messages (e.g. `solutions/ex01-triplet.ts`). */
  sourcePath: string;
  /** Path the student edits, named in the stub's error (e.g. `exercises/ex01-triplet.ts`). */
  exercisePath: string;
}

/** Result of {@link stripSolutions}. */
export interface StripResult {
  /** The exercise source. */
  text: string;
  /** Number of solution blocks replaced. */
  blocks: number;
}

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
/** A comment line that looks like a marker but is not exactly one (typo, extra text, block comment). */
const NEAR_MARKER = /^\s*\/[/*]+\s*(BEGIN|END)[\s_-]*SOLUTION/i;

/** `solutions/ex01-triplet.ts` -> `ex01`; anything else -> the file's base name. */
export function exerciseId(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const m = /^(ex\d+)/.exec(base);
  return m ? m[1] : base.replace(/\.ts$/, '');
}

/** Name of the nearest function/method/const declared at or above `lineIndex`, else 'solution'. */
function enclosingName(lines: string[], lineIndex: number): string {
  const patterns = [
    /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/,
    /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s*)?(?:\(|function|[A-Za-z_$][\w$]*\s*=>)/,
    /^\s*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]*)?\{\s*$/,
  ];
  for (let i = lineIndex; i >= 0; i--) {
    for (const p of patterns) {
      const m = p.exec(lines[i]);
      if (m && !['if', 'for', 'while', 'switch', 'catch', 'return'].includes(m[1])) return m[1];
    }
  }
  return 'solution';
}

function escapeSingleQuoted(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/**
 * Replaces every `// BEGIN SOLUTION` ... `// END SOLUTION` block by a throwing stub between
 * TODO markers. Line endings (LF or CRLF) are preserved.
 * @param source the solution file's text
 * @param options paths used in the stub and in errors
 * @returns the exercise text and how many blocks were replaced
 * @throws SolutionMarkerError on nested, unbalanced or malformed markers
 * @example
 * const { text } = stripSolutions(src, { sourcePath: 'solutions/ex01-triplet.ts', exercisePath: 'exercises/ex01-triplet.ts' });
 */
export function stripSolutions(source: string, options: StripOptions): StripResult {
  const { sourcePath, exercisePath } = options;
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const out: string[] = [];
  const id = exerciseId(exercisePath);
  let openLine = -1; // 0-based index of the open BEGIN, or -1
  let indent = '';
  let blocks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = BEGIN.exec(line);
    if (begin) {
      if (openLine >= 0) {
        throw new SolutionMarkerError(
          sourcePath,
          i + 1,
          `nested '// BEGIN SOLUTION' (the block opened at line ${openLine + 1} is not closed); ` +
            `add '// END SOLUTION' before this line or remove this marker`,
        );
      }
      openLine = i;
      indent = begin[1];
      continue;
    }
    if (END.test(line)) {
      if (openLine < 0) {
        throw new SolutionMarkerError(
          sourcePath,
          i + 1,
          `'// END SOLUTION' without a matching '// BEGIN SOLUTION' above it; add the BEGIN marker or remove this line`,
        );
      }
      const name = enclosingName(lines, openLine);
      const message = `${id} ${name}: not implemented yet - write your code between the TODO markers in ${exercisePath}`;
      out.push(
        `${indent}// TODO BEGIN: write your code here, then delete the throw below.`,
        `${indent}throw new Error('${escapeSingleQuoted(message)}');`,
        `${indent}// TODO END`,
      );
      openLine = -1;
      blocks++;
      continue;
    }
    if (NEAR_MARKER.test(line)) {
      throw new SolutionMarkerError(
        sourcePath,
        i + 1,
        `malformed solution marker '${line.trim()}'; a marker is a line holding only '// BEGIN SOLUTION' or '// END SOLUTION'`,
      );
    }
    if (openLine < 0) out.push(line);
  }
  if (openLine >= 0) {
    throw new SolutionMarkerError(
      sourcePath,
      openLine + 1,
      `'// BEGIN SOLUTION' is never closed; add '// END SOLUTION' after the solution code`,
    );
  }
  return { text: out.join(eol), blocks };
}
