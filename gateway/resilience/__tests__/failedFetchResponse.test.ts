import { parse } from 'graphql';
import { failedFetchResponse } from '../failedFetchResponse';

const failure = { message: 'The notes service is unavailable; try again shortly.', code: 'SUBGRAPH_UNAVAILABLE' };

describe('failedFetchResponse', () => {
  it('puts an error on each root field of a root fetch, by response key', () => {
    const document = parse(
      'query Op__notes__0 { addNote(districtId: "d1", text: "x") other: addNote(districtId: "d2", text: "y") __typename }',
    );
    expect(failedFetchResponse(document, undefined, failure).errors.map((error) => error.path)).toEqual([['addNote'], ['other']]);
  });

  it('puts an error on each field of each entity the fetch was for, by type', () => {
    const document = parse(/* GraphQL */ `
      query Op__notes__1($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on District {
            __typename
            note
            n: note
          }
          ...BuildingFields
        }
      }
      fragment BuildingFields on Building {
        requestCount
      }
    `);
    const representations = [
      { __typename: 'District', id: 'd1' },
      { __typename: 'Building', id: 'b1' },
      { __typename: 'Estate', id: 'e1' },
    ];
    const { errors } = failedFetchResponse(document, { representations }, failure);
    expect(errors.map((error) => error.path)).toEqual([
      ['_entities', 0, 'note'],
      ['_entities', 0, 'n'],
      ['_entities', 1, 'requestCount'],
      ['_entities', 2],
    ]);
    expect(errors[0]).toEqual({ message: failure.message, path: ['_entities', 0, 'note'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });

  it('still answers one error when it cannot tell the paths', () => {
    expect(failedFetchResponse(parse('fragment F on District { id }'), undefined, failure).errors).toEqual([
      { message: failure.message, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
    ]);
  });
});
