import * as assert from 'node:assert/strict';
import { PROJECT_ROOT } from '../engine';
import { poisonList } from '../engine/forbidden_lib';
import { SPECS } from '.';

describe('grader/specs forbiddenLib', () => {
  // A name that lib/ no longer defines (after a rename) is refused by nothing: the static check
  // finds no use and the child has nothing to replace. Every name must still point at a definition.
  for (const spec of SPECS) {
    it(`${spec.id}: every forbiddenLib name (${spec.forbiddenLib.join(', ')}) is defined in lib/ and replaced in the child`, () => {
      const found = new Set(poisonList(PROJECT_ROOT, spec.forbiddenLib).map(([, name]) => name));
      const missing = spec.forbiddenLib.filter((n) => !found.has(n));
      assert.deepEqual(missing, [], `${spec.id}: forbiddenLib names with no definition in lib/: ${missing.join(', ')}; rename them to the library's current export`);
    });
  }
});
