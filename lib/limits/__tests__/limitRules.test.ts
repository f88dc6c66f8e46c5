import { buildSchema, Kind, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { maxAliasesRule, maxSelectionsRule, maxDepthRule, QueryLimitError } from '../limitRules';
import { measureOperation } from '../operationShape';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    district(id: ID): District
  }
  type District {
    id: ID!
    name: String!
    neighbours: [District!]!
  }
`);

function shapeOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
  return measureOperation(operation, (name) => fragments.get(name));
}

describe('measureOperation', () => {
  it('counts depth, aliases and selections of plain fields', () => {
    expect(shapeOf('{ district { id neighbours { name } } other: district { id } }')).toEqual({ depth: 3, aliases: 1, selections: 6 });
  });

  it('counts a fragment each time it is spread, inline fragments in place', () => {
    const source = /* GraphQL */ `
      query {
        a: district {
          ...Names
        }
        b: district {
          ...Names
          ... on District {
            id
          }
        }
      }
      fragment Names on District {
        name
        n: name
        neighbours {
          name
        }
      }
    `;
    // Names: depth 2, 1 alias, 4 selections; a: 1 + Names; b: 1 + Names + id.
    expect(shapeOf(source)).toEqual({ depth: 3, aliases: 2 + 2, selections: 5 + 6 });
  });

  it('measures exponential fragment fan-out without expanding it', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on District { id }`
        : `fragment F${level} on District { id ...F${level + 1} x: neighbours { ...F${level + 1} } }`,
    ).join('\n');
    const shape = shapeOf(`{ district { ...F0 } } ${fragments}`);
    expect(shape.selections).toBeGreaterThan(2 ** 39);
    expect(shape.depth).toBe(levels + 1);
  });

  it("does not count the aliases of a subgraph's root entity fields, the gateway's merged fetches; any other alias counts", () => {
    const merged = `query($r0: [_Any!]!, $r1: [_Any!]!) {
      _entities_0: _entities(representations: $r0) { ... on District { name } }
      _entities_1: _entities(representations: $r1) { ... on District { n: name } }
      other: district { id }
    }`;
    expect(shapeOf(merged).aliases).toBe(2);
    expect(shapeOf('{ district { e: _entities { id } } }').aliases).toBe(1);
  });

  it('ignores introspection and survives a fragment cycle', () => {
    expect(shapeOf('{ __schema { types { fields { type { ofType { name } } } } } __typename }')).toEqual({
      depth: 0,
      aliases: 0,
      selections: 0,
    });
    expect(shapeOf('{ district { ...A } } fragment A on District { id ...B } fragment B on District { name ...A }')).toEqual({
      depth: 2,
      aliases: 0,
      selections: 3,
    });
  });
});

describe('limit rules', () => {
  const rules = [maxDepthRule(3), maxAliasesRule(1), maxSelectionsRule(6)];
  const errorsFor = (source: string) => validate(schema, parse(source), [...specifiedRules, ...rules]);

  it('accept an operation exactly at every limit', () => {
    expect(errorsFor('{ district { id neighbours { name } } other: district { id } }')).toEqual([]);
  });

  it('refuse each limit passed, with its own code and the operation as location', () => {
    const errors = errorsFor('query Deep { a: district { neighbours { neighbours { id } } } b: district { id name } }');
    expect(errors.map((error) => (error instanceof QueryLimitError ? error.code : error.message))).toEqual([
      'QUERY_TOO_DEEP',
      'TOO_MANY_ALIASES',
      'QUERY_TOO_COMPLEX',
    ]);
    expect(errors[0]?.message).toBe('The operation nests fields 4 levels deep; at most 3 are allowed.');
    expect(errors[0]?.locations).toEqual([{ line: 1, column: 1 }]);
  });
});
