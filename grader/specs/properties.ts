import type { PlainValue } from '../plain_value';

/**
 * Property checks by name, for tests whose outputs depend on sampling the grader cannot
 * reproduce. Each gets the received outputs (untrusted plain data, one per call) and the call
 * arguments, and returns null when the property holds, else a message for the student. Ships in
 * the student release, so it holds no solution code.
 *
 * None is in use: a property that can be checked from the outputs and the arguments alone can
 * also be met from the arguments alone, without computing anything (the red-team guessers in
 * grader/fixtures/guessers/ did exactly that for the old `boundRows` property of ex03). Every
 * exercise's output is reproducible from its seed, so tests compare with the reference instead.
 */
export const PROPERTIES: Record<string, (received: unknown[], calls: PlainValue[][]) => string | null> = {};
