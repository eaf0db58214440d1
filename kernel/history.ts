// The history of the cells this kernel ran (history_request): tail, range and search, as IPython
// answers them. It lives as long as the kernel process: session 1 is this one, and there is no
// other (a restart starts a new, empty history).

/** One history_reply row: [session, line (execution count), input] or [session, line, [input, output]]. */
export type HistoryRow = [number, number, string | [string, string | null]];

/** The history_request fields this kernel reads. */
export interface HistoryRequest {
  hist_access_type?: 'tail' | 'range' | 'search';
  output?: boolean;
  n?: number;
  session?: number;
  start?: number;
  stop?: number;
  pattern?: string;
  unique?: boolean;
}

/** The only session this kernel has, in its absolute number. */
export const SESSION = 1;

/** A glob (`*`, `?`, `[...]`, as IPython's search takes) as a regular expression over the whole input. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close);
        const negated = body.startsWith('!');
        re += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\^]/g, '\\$&')}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The inputs (and text outputs) of the cells run with store_history. */
export class History {
  private readonly entries: { line: number; input: string; output: string | null }[] = [];

  add(line: number, input: string, output: string | null): void {
    this.entries.push({ line, input, output });
  }

  /** The rows a history_request asks for; an unknown access type gets none. */
  query(request: HistoryRequest): HistoryRow[] {
    const row = (e: { line: number; input: string; output: string | null }): HistoryRow => [SESSION, e.line, request.output === true ? [e.input, e.output] : e.input];
    const n = request.n ?? null;
    switch (request.hist_access_type) {
      case 'tail':
        return (n === null ? this.entries : this.entries.slice(Math.max(0, this.entries.length - n))).map(row);
      case 'range': {
        // Session 0 (or a negative offset of 0) is the current one; nothing older is kept.
        const session = request.session ?? 0;
        if (session !== 0 && session !== SESSION) return [];
        const start = request.start ?? 0;
        const stop = request.stop ?? Infinity;
        return this.entries.filter((e) => e.line >= start && e.line < stop).map(row);
      }
      case 'search': {
        const re = globToRegExp(request.pattern ?? '*');
        let found = this.entries.filter((e) => re.test(e.input));
        if (request.unique === true) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
        }
        return (n === null ? found : found.slice(Math.max(0, found.length - n))).map(row);
      }
      default:
        return [];
    }
  }
}
