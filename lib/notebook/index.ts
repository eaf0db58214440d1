export { loadExercise, LoadExerciseOptions } from './load_exercise';
