import { composeSupergraph, CompositionError, unacceptedHints, type SubgraphSdl } from '../compose';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

function subgraph(name: string, sdl: string): SubgraphSdl {
  return { name, url: `http://localhost/${name}`, sdl: `${LINK}\n${sdl}` };
}

describe('composeSupergraph', () => {
  it('returns the supergraph and a sorted API schema without federation machinery', () => {
    const { supergraphSdl, apiSdl } = composeSupergraph([
      subgraph('zoo', 'type Query { zebra: Zebra } type Zebra @key(fields: "id") { id: ID! stripes: Int }'),
      subgraph('aviary', 'type Query { bird: String } type Zebra @key(fields: "id") { id: ID! wings: Int }'),
    ]);
    expect(supergraphSdl).toContain('join__graph(name: "zoo", url: "http://localhost/zoo")');
    expect(apiSdl).not.toMatch(/join__|@link|_Entity/);
    expect(apiSdl.indexOf('type Query')).toBeLessThan(apiSdl.indexOf('type Zebra'));
    expect(apiSdl).toMatch(/type Zebra \{\n {2}id: ID!\n {2}stripes: Int\n {2}wings: Int\n\}/);
  });

  it('throws every composition error', () => {
    const compose = () =>
      composeSupergraph([
        subgraph('one', 'type Query { thing: Thing } type Thing { id: ID! size: Int }'),
        subgraph('two', 'type Query { other: Thing } type Thing { id: ID! size: String }'),
      ]);
    expect(compose).toThrow(CompositionError);
    expect(compose).toThrow(/Thing\.size/);
  });
});

describe('unacceptedHints', () => {
  const hint = { code: 'INCONSISTENT_DESCRIPTION', message: 'Element "Query.x" has inconsistent descriptions.' };

  it('accepts a hint listed with the same code and message', () => {
    expect(unacceptedHints([hint], [{ ...hint }])).toEqual([]);
  });

  it('does not accept a hint whose message changed', () => {
    expect(unacceptedHints([hint], [{ ...hint, message: 'something else' }])).toEqual([hint]);
  });
});
