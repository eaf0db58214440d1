export { classroomResult } from './classroom_result';
export { gradescopeJson } from './gradescope_json';
export { junitXml } from './junit_xml';
export { markdownSummary } from './markdown_summary';
export { terminalTable } from './terminal_table';
export { writeAtomic } from './write_atomic';
export { resultJson, RESULT_FORMAT } from './result_json';
export type { ResultJson, ResultJsonTest } from './result_json';
export { REPORT_FILES, writeReports } from './write_reports';
