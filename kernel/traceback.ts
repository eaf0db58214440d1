// Jupyter `error` content (ename, evalue, traceback) for what a cell threw and for the compiler's
// diagnostics. Stack frames point at the cell as the student wrote it (In[n]:line:column, through
// source_position.ts) and at the library's TypeScript through the source maps beside dist/'s
// JavaScript; frames of Node's internals, of this kernel and of tslab are left out.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Diagnostic } from 'tslab/dist/converter';
import { LineColumn, SourcePositions } from './source_position';

/** The content of an `error` message, and of an execute_reply with status "error". */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

const RED = '\x1b[31m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
/** Lines shown before the failing line of a cell. */
const CONTEXT_LINES = 2;
/** How deep `cause` chains are followed. */
const MAX_CAUSES = 3;

const FRAME = /^\s*at (?:(.+?) \()?((?:node:|file:\/\/)?[^()]*?):(\d+):(\d+)\)?$/;

interface CellRecord {
  source: string;
  positions: SourcePositions;
}

/** A stack frame as it will be printed. */
interface Frame {
  fn: string | undefined;
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  cell?: CellRecord;
}

/** Builds tracebacks; knows every cell the kernel ran, by its script name (In[n]). */
export class Tracebacks {
  private readonly cells = new Map<string, CellRecord>();
  private readonly maps = new Map<string, SourceMap | null>();

  /**
   * @param root paths under it are printed relative to it (the project)
   * @param hidden folders whose frames are left out (this kernel, tslab)
   */
  constructor(
    private readonly root: string,
    private readonly hidden: string[],
  ) {}

  /** Remembers a cell: `generated` is the JavaScript its script runs, from the script's second line on. */
  addCell(name: string, source: string, generated: string): void {
    this.cells.set(name, { source, positions: new SourcePositions(source, generated) });
  }

  /** The error content for a value a cell threw. */
  fromThrown(thrown: unknown): ErrorContent {
    if (!(thrown instanceof Error) && !(typeof thrown === 'object' && thrown !== null && typeof (thrown as Error).stack === 'string')) {
      const shown = inspect(thrown, { depth: 2 });
      return { ename: 'Uncaught', evalue: shown, traceback: [`${RED}${BOLD}Uncaught${RESET} ${shown}`] };
    }
    const error = thrown as Error;
    const ename = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
    const evalue = String(error.message ?? '');
    const traceback = this.describe(error);
    for (let cause = (error as { cause?: unknown }).cause, depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
      traceback.push('', 'Caused by:');
      if (cause instanceof Error) {
        traceback.push(...this.describe(cause));
        cause = (cause as { cause?: unknown }).cause;
      } else {
        traceback.push(`  ${inspect(cause, { depth: 2 })}`);
        break;
      }
    }
    return { ename, evalue, traceback };
  }

  /** The header line, the frames, and the cell's code around the innermost cell frame. */
  private describe(error: Error): string[] {
    const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
    const [first, ...more] = String(error.message ?? '').split('\n');
    const lines = [`${RED}${BOLD}${name}${RESET}${first ? `: ${first}` : ''}`, ...more];
    const frames = this.frames(String(error.stack ?? ''));
    lines.push(...this.printFrames(frames));
    const inCell = frames.find((f) => f.cell !== undefined);
    if (inCell) lines.push(...excerpt(inCell.file, inCell.cell!.source, { line: inCell.line - 1, column: inCell.column - 1 }));
    return lines;
  }

  private frames(stack: string): Frame[] {
    const frames: Frame[] = [];
    for (const text of stack.split('\n')) {
      const m = FRAME.exec(text);
      if (m === null) continue;
      const [, fn, file, line, column] = m;
      // A function of an earlier cell is called through `exports`, a Proxy: V8 names it Proxy.f.
      const frame = this.place({ fn: fn?.replace(/^(async )?Proxy\./, '$1'), file, line: Number(line), column: Number(column) });
      if (frame !== null) frames.push(frame);
    }
    return frames;
  }

  /** Where a raw frame points to in the sources, or null for a frame not worth showing. */
  private place(frame: Frame): Frame | null {
    const cell = this.cells.get(frame.file);
    if (cell !== undefined) {
      // The script's first and last lines are the wrapper (and the call into the cell: not shown).
      if (!cell.positions.hasLine(frame.line - 2)) return null;
      const at = cell.positions.toSource({ line: frame.line - 2, column: frame.column - 1 });
      return { ...frame, line: at.line + 1, column: at.column + 1, cell };
    }
    if (frame.file.startsWith('node:') || frame.file === 'native' || frame.file.startsWith('evalmachine.')) return null;
    const file = frame.file.startsWith('file://') ? new URL(frame.file).pathname : frame.file;
    if (!path.isAbsolute(file)) return frame;
    if (this.hidden.some((dir) => file.startsWith(dir + path.sep))) return null;
    const original = this.original(file, frame.line, frame.column);
    return { ...frame, ...(original ?? {}), file: this.relative(original?.file ?? file) };
  }

  /** The TypeScript position of a JavaScript position, through the .js.map beside the file. */
  private original(file: string, line: number, column: number): { file: string; line: number; column: number } | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = null;
      try {
        if (!file.includes(`${path.sep}node_modules${path.sep}`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = null; // no map beside it: show the JavaScript position
      }
      this.maps.set(file, map);
    }
    if (map === null) return null;
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return null;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  private relative(file: string): string {
    const rel = path.relative(this.root, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
  }

  /** Frames as `at fn (file:line:column)`; a run of frames in node_modules shows its first only. */
  private printFrames(frames: Frame[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      const where = `${f.file}:${f.line}:${f.column}`;
      out.push(`    at ${f.fn ? `${f.fn} (${where})` : where}`);
      if (isPackage(f.file)) {
        let j = i;
        while (j + 1 < frames.length && isPackage(frames[j + 1].file)) j++;
        if (j > i) out.push(`    ... ${j - i} more in node_modules`);
        i = j;
      }
    }
    return out;
  }

  /**
   * The error content for compiler diagnostics: ename TS<code> and evalue the message of the
   * first, then each diagnostic with its position in the cell (or in the file it belongs to).
   */
  fromDiagnostics(name: string, source: string, diagnostics: Diagnostic[]): ErrorContent {
    const first = diagnostics.find((d) => d.category === 1) ?? diagnostics[0];
    const traceback: string[] = [];
    for (const d of diagnostics) {
      const file = d.fileName ?? name;
      traceback.push(`${RED}${BOLD}TS${d.code}${RESET}: ${d.messageText}`);
      traceback.push(`    at ${file}:${d.start.line + 1}:${d.start.character + 1}`);
      if (d.fileName === undefined) traceback.push(...excerpt(name, source, { line: d.start.line, column: d.start.character }, d.end.line === d.start.line ? d.end.character - d.start.character : 1));
    }
    return { ename: `TS${first.code}`, evalue: first.messageText, traceback };
  }
}

const isPackage = (file: string) => file.includes('node_modules/') || file.includes(`node_modules${path.sep}`);

/** The cell's lines around `at`, the line itself marked, and a caret under the column. */
function excerpt(name: string, source: string, at: LineColumn, width = 1): string[] {
  const lines = source.split('\n');
  if (at.line < 0 || at.line >= lines.length) return [];
  const from = Math.max(0, at.line - CONTEXT_LINES);
  const digits = String(at.line + 1).length;
  const out = ['', `${name}, line ${at.line + 1}:`];
  for (let i = from; i <= at.line; i++) {
    const mark = i === at.line ? `${RED}-->${RESET}` : '   ';
    out.push(`${mark} ${String(i + 1).padStart(digits)} | ${lines[i]}`);
  }
  out.push(`    ${' '.repeat(digits)} | ${' '.repeat(at.column)}${RED}${'^'.repeat(Math.max(1, width))}${RESET}`);
  return out;
}
