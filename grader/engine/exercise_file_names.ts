import { loadExercises } from './load_exercises';

/**
 * The exercise files a submission may hold, known without freezing any test (the specs, or a
 * release's frozen public tests, as loadExercises finds them); none when the exercises do not
 * load, which the grading session then reports (exit 4).
 * @param projectRoot the trusted project
 */
export function exerciseFileNames(projectRoot: string): string[] {
  try {
    return loadExercises(projectRoot, ['public']).list.map((e) => e.file);
  } catch {
    return [];
  }
}
