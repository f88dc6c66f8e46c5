import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unannouncedBreakingChanges } from '../../scripts/schemaCompatibility';

const schemaFile = (name: string) => readFileSync(path.resolve(__dirname, '../../schema', name), 'utf8');

describe('the client-facing API schema', () => {
  it('has no unannounced breaking change since the released version', async () => {
    expect(await unannouncedBreakingChanges(schemaFile('api.released.graphql'), schemaFile('api.graphql'))).toEqual([]);
  });

  it('refuses removing a field without a deprecation, and allows it after one', async () => {
    const released = 'type Query { district(id: ID!): District } type District { id: ID! qpvCode: String }';
    const removed = 'type Query { district(id: ID!): District } type District { id: ID! }';
    expect(await unannouncedBreakingChanges(released, removed)).toEqual([expect.stringContaining('District.qpvCode')]);

    const releasedDeprecated = released.replace('qpvCode: String', 'qpvCode: String @deprecated(reason: "Use codes.")');
    expect(await unannouncedBreakingChanges(releasedDeprecated, removed)).toEqual([]);
  });

  it('refuses a type change and a new required argument', async () => {
    const released = 'type Query { districts(first: Int): [String!]! }';
    expect(await unannouncedBreakingChanges(released, 'type Query { districts(first: Int): [Int!]! }')).toHaveLength(1);
    expect(await unannouncedBreakingChanges(released, 'type Query { districts(first: Int, qpv: String!): [String!]! }')).toHaveLength(1);
  });
});
