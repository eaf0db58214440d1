export { loadExercise, LoadExerciseOptions } from './load_exercise';
export { check } from './check';
export { runGraderCheck, GraderCheckOptions, GRADER_BIN } from './run_grader_check';
export { checkBundle } from './check_bundle';
export { parseGraderResult } from './parse_grader_result';
export { GRADER_ERROR_FORMAT, GRADER_RESULT_FORMAT, GraderErrorDocument, GraderExerciseResult, GraderResult, GraderTestResult } from './grader_result';
export { projectRoot } from './project_root';
