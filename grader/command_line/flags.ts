import { parseArgs } from 'node:util';
import { flagLabel } from './flag_label';
import { UsageError } from './usage_error';
import type { FlagSpec, VerbArgs, VerbSpec } from './verb_spec';

function convert(verb: string, name: string, f: FlagSpec, raw: string): unknown {
  if (f.parse) {
    try {
      return f.parse(raw);
    } catch (e) {
      throw new UsageError(`${verb}: --${name} ${(e as Error).message}, got ${JSON.stringify(raw)}`);
    }
  }
  if (f.type === 'number') {
    const n = /^\s*$/.test(raw) ? NaN : Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (f.integer && !Number.isInteger(n))) {
      throw new UsageError(`${verb}: --${name} must be a positive ${f.integer ? 'whole ' : ''}number${f.value ? ` (${f.value})` : ''}, got ${JSON.stringify(raw)}`);
    }
    return n;
  }
  if (f.type === 'list') {
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new UsageError(`${verb}: --${name} needs a comma-separated list${f.value ? ` (${f.value})` : ''}, got ${JSON.stringify(raw)}`);
    return items;
  }
  return raw;
}

/**
 * Parses a verb's arguments strictly against its declared flags: an unknown flag, a missing or
 * malformed value, a missing or extra positional are {@link UsageError}s naming the bad value and
 * the verb's flags. Returns every declared flag with its default filled in, or `help: true`.
 * @param others the other verbs, to say "--jobs is a flag of grade-all" for a flag from elsewhere
 */
export function parseVerbArgs(verb: VerbSpec, argv: string[], others: VerbSpec[] = []): VerbArgs & { help: boolean } {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(verb.flags)) options[name] = { type: f.type === 'boolean' ? 'boolean' : 'string' };
  const flagList = Object.entries(verb.flags).map(([n, f]) => flagLabel(n, f)).join(', ');
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = flag.replace(/^-+/, '').split('=')[0];
      const owners = others.filter((o) => o.name !== verb.name && name in o.flags).map((o) => o.name);
      const where = owners.length > 0 ? ` (it is a flag of ${owners.join(', ')})` : '';
      throw new UsageError(`${verb.name}: unknown flag ${flag}${where}; the flags of ${verb.name} are: ${flagList || '(none)'}, --help`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flag.replace(/^-+/, '');
      const f = verb.flags[name];
      if (f && f.type !== 'boolean') throw new UsageError(`${verb.name}: ${flagLabel(name, f)} needs a value (${f.help})`);
      throw new UsageError(`${verb.name}: ${flag} takes no value; write ${flag} alone`);
    }
    throw new UsageError(`${verb.name}: ${err.message}`);
  }
  if (parsed.values.help === true) return { positionals: [], flags: {}, help: true };
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(verb.flags)) {
    const raw = parsed.values[name];
    if (raw === undefined) flags[name] = Array.isArray(f.default) ? [...f.default] : f.default ?? (f.type === 'boolean' ? false : undefined);
    else flags[name] = typeof raw === 'string' ? convert(verb.name, name, f, raw) : raw;
  }
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
  return { positionals: pos, flags, help: false };
}
