import { displayBundle } from './display_bundle';

/**
 * Shows Markdown (with LaTeX `$...$`) from code, e.g. a sentence with computed numbers.
 * The text/plain part is the Markdown source, which is also what a terminal prints.
 * @example clab.display.showMarkdown(`The loss is **${loss.toFixed(3)}** nats, below $\\log N = ${Math.log(N).toFixed(3)}$.`)
 */
export function showMarkdown(markdown: string): void {
  if (typeof markdown !== 'string') throw new Error(`showMarkdown: markdown must be a string, got ${typeof markdown}`);
  displayBundle({ 'text/markdown': markdown, 'text/plain': markdown });
}
