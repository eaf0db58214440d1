// A verb declares its arguments and flags once, with their types; parseVerbArgs turns a command
// line into those typed values (or a UsageError naming the bad value), and verbHelp prints them
// with their defaults.
import { parseArgs } from 'node:util';
import { EXIT_CODE_HELP, UsageError } from '../exit_codes';

/** One flag of a verb: how --help shows it, its value when absent, and how its text becomes a value. */
export interface Flag<T> {
  /** 'boolean' is a switch (present or not); the others take a value. */
  readonly type: 'boolean' | 'string' | 'number' | 'list';
  /** One line for --help. */
  readonly help: string;
  /** The value's placeholder in --help and messages: 'DIR', 'MS'. */
  readonly value?: string;
  /** The value when the flag is not given (shown in --help unless undefined or a switch). */
  readonly default: T;
  /** The given text -> the value; throws an Error whose message says what is expected ("must be ..."). */
  parse(raw: string): T;
}

/** A verb's flags by name. */
export type FlagTable = Record<string, Flag<unknown>>;

/** The values a {@link FlagTable} parses to: `{ out: string; jobs: number; only: string[] | undefined; ... }`. */
export type FlagValues<F extends FlagTable> = { -readonly [K in keyof F]: F[K] extends Flag<infer T> ? T : never };

function positive(value: string | undefined, integer: boolean): (raw: string) => number {
  return (raw) => {
    const n = /^\s*$/.test(raw) ? NaN : Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`must be a positive ${integer ? 'whole ' : ''}number${value ? ` (${value})` : ''}`);
    return n;
  };
}

function string(value: string, help: string): Flag<string | undefined>;
function string(value: string, help: string, dflt: string): Flag<string>;
function string(value: string, help: string, dflt?: string): Flag<string | undefined> {
  return { type: 'string', value, help, default: dflt, parse: (raw) => raw };
}

function int(value: string, help: string): Flag<number | undefined>;
function int(value: string, help: string, dflt: number): Flag<number>;
function int(value: string, help: string, dflt?: number): Flag<number | undefined> {
  return { type: 'number', value, help, default: dflt, parse: positive(value, true) };
}

function number(value: string, help: string): Flag<number | undefined>;
function number(value: string, help: string, dflt: number): Flag<number>;
function number(value: string, help: string, dflt?: number): Flag<number | undefined> {
  return { type: 'number', value, help, default: dflt, parse: positive(value, false) };
}

/** The flag builders: a verb's flags are `{ out: flag.string('DIR', 'output folder', 'results'), ... }`. */
export const flag = {
  /** A switch: true when given. */
  boolean: (help: string): Flag<boolean> => ({ type: 'boolean', help, default: false, parse: () => true }),
  /** Any text; with a default, never undefined. */
  string,
  /** A positive whole number. */
  int,
  /** A positive number. */
  number,
  /** Comma-separated names (at least one); undefined when not given. */
  list: (value: string, help: string): Flag<string[] | undefined> => ({
    type: 'list',
    value,
    help,
    default: undefined,
    parse: (raw) => {
      const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) throw new Error(`needs a comma-separated list (${value})`);
      return items;
    },
  }),
  /** A value in a format of its own: `parse` returns it or throws an Error saying what is expected. */
  custom: <T>(value: string, help: string, parse: (raw: string) => T): Flag<T | undefined> => ({ type: 'string', value, help, default: undefined, parse }),
};

/** A positional argument of a verb. */
export interface Positional {
  /** As shown in usage, e.g. '<dir|zip>' or '[dir]'. */
  name: string;
  help: string;
  required: boolean;
  /** Takes every remaining argument (only the last positional). */
  variadic?: boolean;
}

/** What a verb receives: its positionals and every flag, typed, defaults filled in. */
export interface VerbArgs<F extends FlagTable = FlagTable> {
  positionals: string[];
  flags: FlagValues<F>;
}

/** What the caller of a command line hands every verb besides its arguments. */
export interface RunContext {
  /** Sees what the grading session does (tests count its sandbox proofs with it). */
  observe?: (event: string) => void;
}

/** A verb of `clab-grade`: its arguments, flags, defaults and action, declared in one place. */
export interface Verb<F extends FlagTable = FlagTable> {
  name: string;
  /** One line for the verb list. */
  summary: string;
  /** A few lines for the verb's --help. */
  description: string;
  positionals: Positional[];
  flags: F;
  /** Runs the verb; resolves to the exit code. Throws UsageError, SubmissionError, GraderError or others. */
  run(args: VerbArgs<F>, context: RunContext): Promise<number>;
}

/** Declares a verb; `run` receives the values of exactly the flags declared, typed. */
export function verb<F extends FlagTable>(v: Verb<F>): Verb<F> {
  return v;
}

/** `--name VALUE` for --help and messages. */
function flagLabel(name: string, f: Flag<unknown>): string {
  return f.type === 'boolean' ? `--${name}` : `--${name} ${f.value ?? 'VALUE'}`;
}

/**
 * Parses a verb's arguments strictly against its declared flags: an unknown flag, a missing or
 * malformed value, a missing or extra positional are {@link UsageError}s naming the bad value and
 * the verb's flags. Returns every declared flag, typed, with its default filled in, or `help: true`.
 * @param others the other verbs, to say "--jobs is a flag of grade-all" for a flag from elsewhere
 */
export function parseVerbArgs<F extends FlagTable>(verb: Verb<F>, argv: string[], others: Verb[] = []): VerbArgs<F> & { help: boolean } {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(verb.flags)) options[name] = { type: f.type === 'boolean' ? 'boolean' : 'string' };
  const flagList = Object.entries(verb.flags).map(([n, f]) => flagLabel(n, f)).join(', ');
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const given = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = given.replace(/^-+/, '').split('=')[0];
      const owners = others.filter((o) => o.name !== verb.name && name in o.flags).map((o) => o.name);
      const where = owners.length > 0 ? ` (it is a flag of ${owners.join(', ')})` : '';
      throw new UsageError(`${verb.name}: unknown flag ${given}${where}; the flags of ${verb.name} are: ${flagList || '(none)'}, --help`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = given.replace(/^-+/, '');
      const f = verb.flags[name];
      if (f && f.type !== 'boolean') throw new UsageError(`${verb.name}: ${flagLabel(name, f)} needs a value (${f.help})`);
      throw new UsageError(`${verb.name}: ${given} takes no value; write ${given} alone`);
    }
    throw new UsageError(`${verb.name}: ${err.message}`);
  }
  // --help wins over everything else: the flags keep their defaults, nothing else is checked.
  const help = parsed.values.help === true;
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(verb.flags)) {
    const raw = help ? undefined : parsed.values[name];
    if (raw === undefined) flags[name] = Array.isArray(f.default) ? [...f.default] : f.default;
    else if (typeof raw !== 'string') flags[name] = raw;
    else {
      try {
        flags[name] = f.parse(raw);
      } catch (e) {
        throw new UsageError(`${verb.name}: --${name} ${(e as Error).message}, got ${JSON.stringify(raw)}`);
      }
    }
  }
  // Each flag holds its default or what its own parse returned: the type FlagValues<F> says.
  const typed = flags as FlagValues<F>;
  if (help) return { positionals: [], flags: typed, help: true };
  const pos = parsed.positionals;
  const usage = verb.positionals.map((p) => p.name).join(' ');
  verb.positionals.forEach((p, i) => {
    if (p.required && pos[i] === undefined) throw new UsageError(`${verb.name}: missing ${p.name} (${p.help}); usage: clab-grade ${verb.name} ${usage}`);
  });
  const variadic = verb.positionals.at(-1)?.variadic === true;
  if (!variadic && pos.length > verb.positionals.length) {
    const extra = pos[verb.positionals.length];
    throw new UsageError(`${verb.name}: unexpected argument ${JSON.stringify(extra)}; usage: clab-grade ${verb.name} ${usage}`.trimEnd());
  }
  return { positionals: pos, flags: typed, help: false };
}

function table(rows: Array<[string, string]>): string[] {
  const w = Math.min(30, Math.max(...rows.map(([a]) => a.length)) + 2);
  return rows.map(([a, b]) => `  ${a.padEnd(w)}${a.length >= w ? `\n  ${' '.repeat(w)}` : ''}${b}`);
}

/** The `clab-grade <verb> --help` text: usage, description, arguments, flags with defaults, exit codes. */
export function verbHelp(verb: Verb): string {
  const usage = [`clab-grade ${verb.name}`, ...verb.positionals.map((p) => p.name), Object.keys(verb.flags).length > 0 ? '[flags]' : ''].filter(Boolean).join(' ');
  const lines = [`usage: ${usage}`, '', verb.description, ''];
  if (verb.positionals.length > 0) lines.push('arguments:', ...table(verb.positionals.map((p) => [p.name, p.help])), '');
  const shown = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));
  const flags: Array<[string, string]> = Object.entries(verb.flags).map(([n, f]) => [
    flagLabel(n, f),
    f.default !== undefined && f.type !== 'boolean' ? `${f.help} (default: ${shown(f.default)})` : f.help,
  ]);
  flags.push(['-h, --help', 'this help']);
  lines.push('flags:', ...table(flags), '', EXIT_CODE_HELP);
  return lines.join('\n');
}

/** The top-level `clab-grade --help`: the verbs and where to read more. */
export function verbList(verbs: Verb[]): string {
  return [
    'usage: clab-grade <verb> [arguments] [flags]',
    '',
    'verbs:',
    ...table(verbs.map((v) => [`${v.name} ${v.positionals.map((p) => p.name).join(' ')}`.trimEnd(), v.summary])),
    '',
    "`clab-grade <verb> --help` lists a verb's flags and defaults.",
    EXIT_CODE_HELP,
  ].join('\n');
}
