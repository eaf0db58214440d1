/** One flag of a verb, as declared by the verb (its one place for flags and defaults). */
export interface FlagSpec {
  /**
   * 'boolean': present or not; 'string': any text; 'number': a positive number (whole when
   * `integer`); 'list': comma-separated names. `parse` replaces the checks for a custom format.
   */
  type: 'boolean' | 'string' | 'number' | 'list';
  /** One line for --help. */
  help: string;
  /** The value's placeholder in --help, e.g. 'DIR', 'MS'. */
  value?: string;
  /** The value when the flag is not given (shown in --help). */
  default?: boolean | string | number | string[];
  /** Numbers: must be whole. */
  integer?: boolean;
  /** Custom parser: returns the value or throws an Error whose message says what is expected. */
  parse?: (raw: string) => unknown;
}

/** A positional argument of a verb. */
export interface PositionalSpec {
  /** As shown in usage, e.g. '<dir|zip>' or '[dir]'. */
  name: string;
  help: string;
  required: boolean;
  /** Takes every remaining argument (only the last positional). */
  variadic?: boolean;
}

/** What a verb receives: its positionals and every flag, defaults filled in. */
export interface VerbArgs {
  positionals: string[];
  flags: Record<string, unknown>;
}

/** A verb of `clab-grade`: its arguments, flags, defaults and action, declared in one place. */
export interface VerbSpec {
  name: string;
  /** One line for the verb list. */
  summary: string;
  /** A few lines for the verb's --help. */
  description: string;
  positionals: PositionalSpec[];
  flags: Record<string, FlagSpec>;
  /** Runs the verb; resolves to the exit code. Throws UsageError, SubmissionError or others. */
  run(args: VerbArgs): Promise<number>;
}
