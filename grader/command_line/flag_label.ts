import type { FlagSpec } from './verb_spec';

/** `--name VALUE` for --help and messages. */
export function flagLabel(name: string, f: FlagSpec): string {
  return f.type === 'boolean' ? `--${name}` : `--${name} ${f.value ?? 'VALUE'}`;
}
