/**
 * What a person wrote into an exercise file, compared with the file `gen:exercises` would write.
 *
 * Pure string -> data (no fs), so `scripts/gen_exercises.ts` (refuse to overwrite, the drift
 * check's message) and its tests share one definition of "a learner's work".
 */

/** A TODO block of the current file whose body is more than the generated stub. */
export interface FilledBlock {
  /** 1-based line of its `// TODO BEGIN` marker. */
  line: number;
  /** Its first non-blank line, trimmed and cut to 80 characters. */
  preview: string;
}

/** A line outside the TODO blocks that the generator would not write. */
export interface ForeignLine {
  /** 1-based line number in the current file. */
  line: number;
  /** The line, trimmed and cut to 80 characters. */
  text: string;
}

/** The result of {@link exerciseWork}. */
export interface ExerciseWork {
  /** TODO blocks holding anything but the stub (or nothing): a learner's code or notes. */
  filledBlocks: FilledBlock[];
  /** Non-blank lines outside the TODO blocks that are not in the generated file (added or changed by hand). */
  foreignLines: ForeignLine[];
  /** Why the TODO markers do not pair up (a BEGIN without an END, nesting), or null. */
  brokenMarkers: string | null;
  /**
   * True when the file equals the generated one once every TODO block's body is set aside:
   * whatever differs is inside the blocks (a learner's work, not drift from solutions/).
   */
  skeletonMatches: boolean;
}

const TODO_BEGIN = /^\s*\/\/ TODO BEGIN\b/;
const TODO_END = /^\s*\/\/ TODO END\b/;
/** The one line `stripSolutions` writes into a block. */
const STUB = /^throw new Error\('.*not implemented yet.*'\);$/;

interface Split {
  /** Lines outside the blocks, with each block's body replaced by one placeholder. */
  skeleton: Array<{ line: number; text: string }>;
  /** Each block's marker line and body. */
  blocks: Array<{ line: number; body: string[] }>;
  broken: string | null;
}

function split(text: string): Split {
  const lines = text.split(/\r?\n/);
  const skeleton: Split['skeleton'] = [];
  const blocks: Split['blocks'] = [];
  let open: { line: number; body: string[] } | null = null;
  let broken: string | null = null;
  lines.forEach((l, i) => {
    if (TODO_BEGIN.test(l)) {
      if (open !== null && broken === null) broken = `line ${i + 1}: '// TODO BEGIN' inside the block opened at line ${open.line}`;
      if (open !== null) blocks.push(open);
      open = { line: i + 1, body: [] };
      skeleton.push({ line: i + 1, text: l });
    } else if (TODO_END.test(l)) {
      if (open === null) {
        if (broken === null) broken = `line ${i + 1}: '// TODO END' without a '// TODO BEGIN' above it`;
      } else {
        blocks.push(open);
        open = null;
      }
      skeleton.push({ line: i + 1, text: l });
    } else if (open !== null) {
      open.body.push(l);
    } else {
      skeleton.push({ line: i + 1, text: l });
    }
  });
  if (open !== null) {
    const o = open as { line: number; body: string[] };
    if (broken === null) broken = `line ${o.line}: '// TODO BEGIN' is never closed by '// TODO END'`;
    blocks.push(o);
  }
  return { skeleton, blocks, broken };
}

/**
 * Compares an exercise file as it is with the text the generator would write now, and says what
 * in it is someone's work: filled TODO blocks, lines added or changed outside them, broken markers.
 * @param current the exercise file's text as it is on disk
 * @param generated the text `gen:exercises` would write (stubs in every TODO block)
 * @returns the filled blocks, the foreign lines, whether the markers pair up, and whether the
 *   two files agree outside the TODO blocks
 * @example exerciseWork(fs.readFileSync(file, 'utf8'), exerciseText(solution, ...)).filledBlocks.length
 */
export function exerciseWork(current: string, generated: string): ExerciseWork {
  if (typeof current !== 'string' || typeof generated !== 'string') {
    throw new Error(`exerciseWork: current and generated must be strings, got ${typeof current} and ${typeof generated}`);
  }
  const cur = split(current);
  const gen = split(generated);
  const filledBlocks: FilledBlock[] = [];
  for (const b of cur.blocks) {
    const body = b.body.map((l) => l.trim()).filter((l) => l !== '');
    if (body.length === 0 || (body.length === 1 && STUB.test(body[0]))) continue;
    filledBlocks.push({ line: b.line, preview: body[0].slice(0, 80) });
  }
  const known = new Set(gen.skeleton.map((s) => s.text.trim()));
  const foreignLines = cur.skeleton
    .filter((s) => s.text.trim() !== '' && !known.has(s.text.trim()))
    .map((s) => ({ line: s.line, text: s.text.trim().slice(0, 80) }));
  const skeletonMatches =
    cur.broken === null &&
    cur.skeleton.length === gen.skeleton.length &&
    cur.skeleton.every((s, i) => s.text === gen.skeleton[i].text);
  return { filledBlocks, foreignLines, brokenMarkers: cur.broken, skeletonMatches };
}
