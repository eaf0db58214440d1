// The public API of contrastive-lab: one re-export line per lib/ folder.
export * as tf from '@tensorflow/tfjs';
export * from './backend';
export * as tensor from './tensor';
export * as losses from './losses';
export * as mi from './mi';
export * as notebook from './notebook';
// `await clab.check('ex03')` in a notebook cell: the grader's public tests, shown in the notebook.
export { check } from './notebook';
export * as display from './display';
export * as plot from './plot';
export * as models from './models';
export * as train from './train';
export * as evaluation from './evaluation';
export * as data from './data';
export * as augment from './augment';
export * as io from './io';
