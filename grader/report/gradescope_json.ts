import type { GradeResult } from '../engine/result_types';
import { exerciseTime } from './exercise_time';
import { courseFilesLines } from './course_files';
import { inputsLine } from './inputs';

/** Gradescope's results.json (tests[] with name, score, max_score, status, output, visibility). */
export function gradescopeJson(r: GradeResult): object {
  const notes = r.exercises.filter((e) => e.notes.length > 0).map((e) => `${e.file}:\n  ${e.notes.join('\n  ')}`);
  return {
    score: r.score,
    execution_time: Math.round(r.ms / 1000),
    output: [
      `Sandbox: Node permission model; network ${r.sandbox.network}; user ${r.sandbox.user}; ${r.sandbox.memory}.`,
      `${inputsLine(r.inputs)[0].toUpperCase()}${inputsLine(r.inputs).slice(1)}.`,
      ...r.exercises.map((e) => `${e.id} time: ${exerciseTime(e)}.`),
      ...notes,
      ...(r.hiddenNotRun > 0 ? [`${r.hiddenNotRun} hidden tests not run.`] : []),
      ...(r.courseFiles ? courseFilesLines(r.courseFiles) : []),
    ].join('\n'),
    stdout_visibility: 'hidden',
    extra_data: { submission_digest: r.inputs.digest, secret_fingerprint: r.inputs.secret },
    tests: r.exercises.flatMap((e) =>
      e.tests.map((t) => ({
        name: `${e.id}: ${t.name}`,
        name_format: 'text',
        score: t.score,
        max_score: t.maxScore,
        status: t.status,
        output: t.output ? `${t.feedback}\n\nYour code printed:\n${t.output}` : t.feedback,
        output_format: 'text',
        visibility: t.visibility === 'public' ? 'visible' : 'after_published',
        tags: [e.id],
        extra_data: { seed: t.seed },
      })),
    ),
  };
}
