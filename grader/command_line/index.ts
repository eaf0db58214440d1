export { parseVerbArgs } from './flags';
export { flagLabel } from './flag_label';
export { ERROR_FORMAT, runCommandLine } from './run_command_line';
export { UsageError } from './usage_error';
export { verbHelp, verbList } from './verb_help';
export type { FlagSpec, PositionalSpec, VerbArgs, VerbSpec } from './verb_spec';
export { ENGINE_FLAGS, engineOverrides } from './engine_flags';
export { checkOnly } from './check_only';
