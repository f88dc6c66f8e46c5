import { copyFileSync } from 'node:fs';

/**
 * Records the current API schema as released: after this, removing anything from it needs a deprecation in a
 * released version first (see test/schema/breakingChanges.test.ts).
 */
copyFileSync('schema/api.graphql', 'schema/api.released.graphql');
console.log('schema/api.released.graphql now records the released API schema.');
