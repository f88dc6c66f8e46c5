import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { representationLimit, TOO_MANY_REPRESENTATIONS } from '../representations';

/** A subgraph that resolves any District reference, counting how many it was asked for. */
async function subgraph(max: number) {
  let resolved = 0;
  const typeDefs = parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type District @key(fields: "id") {
      id: ID!
    }
    type Query {
      ping: String
    }
  `);
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        District: {
          __resolveReference: (reference: { id: string }) => {
            resolved += 1;
            return reference;
          },
        },
      } as never,
    },
  ]);
  const server = new ApolloServer({ schema, plugins: [representationLimit(max), ApolloServerPluginInlineTraceDisabled()] });
  await server.start();
  const run = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await server.executeOperation({ query, variables });
    if (body.kind !== 'single') throw new Error('incremental answer');
    return body.singleResult;
  };
  return { run, resolved: () => resolved, stop: () => server.stop() };
}

const district = (id: string) => `{ __typename: "District", id: "${id}" }`;
const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.code);

describe('representationLimit', () => {
  it('counts representations in literals, variables, aliases and fragments, and refuses before resolving any', async () => {
    const graph = await subgraph(3);
    try {
      const literal = `{ _entities(representations: [${district('a')}, ${district('b')}, ${district('c')}]) { ... on District { id } } }`;
      expect(codes(await graph.run(literal))).toEqual([]);
      expect(graph.resolved()).toBe(3);

      const refused = [
        await graph.run(
          `{ _entities(representations: [${district('a')}, ${district('b')}, ${district('c')}, ${district('d')}]) { __typename } }`,
        ),
        await graph.run(
          'query ($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: $r) { __typename } }',
          {
            r: [
              { __typename: 'District', id: 'a' },
              { __typename: 'District', id: 'b' },
            ],
          },
        ),
        await graph.run(
          `query { ...Two ... on Query { y: _entities(representations: [${district('c')}, ${district('d')}]) { __typename } } } fragment Two on Query { x: _entities(representations: [${district('a')}, ${district('b')}]) { __typename } }`,
        ),
      ];
      for (const result of refused) expect(codes(result)).toEqual([TOO_MANY_REPRESENTATIONS]);
      expect(graph.resolved()).toBe(3);
    } finally {
      await graph.stop();
    }
  });
});
