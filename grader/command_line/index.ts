export { parseVerbArgs, flagLabel } from './parse_verb_args';
export { ERROR_FORMAT, runCommandLine } from './run_command_line';
export { UsageError } from './usage_error';
export { verbHelp, verbList } from './verb_help';
export type { FlagSpec, PositionalSpec, VerbArgs, VerbSpec } from './verb_spec';
export { ENGINE_FLAGS, engineOverrides, checkOnly } from './engine_flags';
