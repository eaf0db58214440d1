import { UsageError } from './usage_error';

/** Throws a UsageError when `--only` names an exercise that does not exist, listing the valid ids. */
export function checkOnly(verb: string, only: string[] | undefined, ids: string[]): void {
  const bad = (only ?? []).filter((id) => !ids.includes(id));
  if (bad.length > 0) throw new UsageError(`${verb}: --only names ${bad.map((b) => JSON.stringify(b)).join(', ')}, not an exercise here; valid ids: ${ids.join(', ')}`);
}
