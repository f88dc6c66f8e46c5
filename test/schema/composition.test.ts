import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  API_SCHEMA_FILE,
  composeSupergraph,
  readAcceptedHints,
  readSubgraphSdls,
  SCHEMA_DIR,
  SUPERGRAPH_FILE,
  unacceptedHints,
  type ComposedSupergraph,
} from '../../scripts/compose';

const RECOMPOSE = 'run `npm run compose` and commit the result';

describe('the composed supergraph', () => {
  let composed: ComposedSupergraph;

  beforeAll(() => {
    // Throws with every composition error listed.
    composed = composeSupergraph(readSubgraphSdls());
  });

  it('raises no composition hint that has not been reviewed', () => {
    expect(unacceptedHints(composed.hints, readAcceptedHints())).toEqual([]);
  });

  it.each([
    [SUPERGRAPH_FILE, (result: ComposedSupergraph) => result.supergraphSdl],
    [API_SCHEMA_FILE, (result: ComposedSupergraph) => result.apiSdl],
  ])(`is committed up to date in schema/%s (otherwise ${RECOMPOSE})`, (file, generated) => {
    const committed = readFileSync(path.join(SCHEMA_DIR, file), 'utf8');
    expect(committed).toBe(generated(composed));
  });
});
