import { EXIT_CODE_HELP } from '../exit_codes';
import { flagLabel } from './flag_label';
import type { VerbSpec } from './verb_spec';

function table(rows: Array<[string, string]>): string[] {
  const w = Math.min(30, Math.max(...rows.map(([a]) => a.length)) + 2);
  return rows.map(([a, b]) => `  ${a.padEnd(w)}${a.length >= w ? `\n  ${' '.repeat(w)}` : ''}${b}`);
}

function shown(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The `clab-grade <verb> --help` text: usage, description, arguments, flags with defaults, exit codes. */
export function verbHelp(verb: VerbSpec): string {
  const usage = [`clab-grade ${verb.name}`, ...verb.positionals.map((p) => p.name), Object.keys(verb.flags).length > 0 ? '[flags]' : ''].filter(Boolean).join(' ');
  const lines = [`usage: ${usage}`, '', verb.description, ''];
  if (verb.positionals.length > 0) lines.push('arguments:', ...table(verb.positionals.map((p) => [p.name, p.help])), '');
  const flags: Array<[string, string]> = Object.entries(verb.flags).map(([n, f]) => [
    flagLabel(n, f),
    f.default !== undefined && f.type !== 'boolean' ? `${f.help} (default: ${shown(f.default)})` : f.help,
  ]);
  flags.push(['-h, --help', 'this help']);
  lines.push('flags:', ...table(flags), '', EXIT_CODE_HELP);
  return lines.join('\n');
}

/** The top-level `clab-grade --help`: the verbs and where to read more. */
export function verbList(verbs: VerbSpec[]): string {
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
