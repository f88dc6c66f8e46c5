import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildASTSchema,
  getVariableValues,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import { costDirectivesOf } from '../costDirectives';
import { costEstimator, MUTATION_BASE_COST, UNSIZED_LIST_SIZE } from '../estimateCost';

const DIRECTIVES = /* GraphQL */ `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(
    assumedSize: Int
    slicingArguments: [String!]
    sizedFields: [String!]
    requireOneSlicingArgument: Boolean = true
  ) on FIELD_DEFINITION
`;

/** The bookshop of Apollo's demand-control documentation, whose worked examples are checked below. */
const BOOKSHOP = /* GraphQL */ `
  ${DIRECTIVES}
  type Query {
    book(id: ID): Book
    bestsellers: [Book] @listSize(assumedSize: 5)
    newestAdditions(after: ID, limit: Int!): [Book] @listSize(slicingArguments: ["limit"])
  }
  type Book {
    title: String
    author: Author
    publisher: Publisher
  }
  type Author {
    name: String
  }
  type Publisher {
    name: String
    address: Address
  }
  type Address @cost(weight: 5) {
    zipCode: Int!
  }
`;

/** A connection, slices of several kinds, weighted arguments and a mutation, on the same books. */
const LIBRARY = /* GraphQL */ `
  ${DIRECTIVES}
  type Query {
    books(first: Int, after: String): BookConnection
      @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"], assumedSize: 20, requireOneSlicingArgument: false)
    recent(first: Int, last: Int): [Book] @listSize(slicingArguments: ["first", "last"])
    filtered(filter: Filter): [Book] @listSize(slicingArguments: ["filter.max"])
    search(term: String @cost(weight: 3)): [Book] @listSize(assumedSize: 2)
    shelves: [Shelf]
    stats: Stats @cost(weight: 20)
  }
  type Mutation {
    addBooks(books: [BookInput!]!): [Book] @listSize(assumedSize: 1)
  }
  input BookInput {
    title: String
    isbn: String @cost(weight: 2)
  }
  input Filter {
    max: Int = 10
  }
  type BookConnection {
    edges: [BookEdge]
    nodes: [Book]
    totalCount: Int
  }
  type BookEdge {
    cursor: String
    node: Book
  }
  type Book {
    title: String
    author: Author
  }
  type Author {
    name: String
  }
  type Shelf {
    books: [Book] @listSize(assumedSize: 30)
  }
  type Stats {
    total: Int
  }
`;

function costOf(sdl: string, source: string, variableValues: Record<string, unknown> = {}): number {
  const schemaDocument = parse(sdl);
  const schema = buildASTSchema(schemaDocument);
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues);
  if (!coerced) throw new Error(errors.map((error) => error.message).join('; '));
  return costEstimator(costDirectivesOf(schemaDocument))({
    schema,
    operation,
    fragmentNamed: (name) => fragmentsOf(document).get(name),
    variables: coerced,
  });
}

function fragmentsOf(document: DocumentNode) {
  return new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
}

const BOOK_FIELDS = 'title author { name } publisher { name address { zipCode } }';

describe('costEstimator: the worked examples of Apollo’s demand control', () => {
  it('counts 1 per object, 0 per leaf and nothing for a query itself', () => {
    // 1 Query (0) + book (1) + author (1) + publisher (1) + address (1) = 4.
    expect(costOf(BOOKSHOP.replace('@cost(weight: 5)', ''), `query BookQuery { book(id: 1) { ${BOOK_FIELDS} } }`)).toBe(4);
  });

  it('takes a type’s @cost weight for the fields of that type', () => {
    // book (1) + author (1) + publisher (1) + address (5) = 8.
    expect(costOf(BOOKSHOP, `query BookQuery { book(id: 1) { ${BOOK_FIELDS} } }`)).toBe(8);
  });

  it('multiplies a list by its assumed size', () => {
    // 5 books × (1 + 1 + 1 + 5) = 40.
    expect(costOf(BOOKSHOP, `query BestsellersQuery { bestsellers { ${BOOK_FIELDS} } }`)).toBe(40);
  });

  it('multiplies a list by its slicing argument', () => {
    expect(costOf(BOOKSHOP, `query NewestAdditions { newestAdditions(limit: 3) { ${BOOK_FIELDS} } }`)).toBe(24);
    expect(costOf(BOOKSHOP, `query NewestAdditions { newestAdditions(limit: 7) { ${BOOK_FIELDS} } }`)).toBe(56);
  });
});

describe('costEstimator: lists', () => {
  it('sizes a connection’s edges and nodes by its slicing argument, not the connection itself', () => {
    // books (1) + 10 edges × (edge 1 + node 1 + author 1) + 10 nodes × (1) = 41.
    expect(costOf(LIBRARY, '{ books(first: 10) { totalCount edges { cursor node { title author { name } } } nodes { title } } }')).toBe(41);
  });

  it('takes the assumed size when the optional slicing argument is missing or null', () => {
    // books (1) + 20 nodes × 1.
    expect(costOf(LIBRARY, '{ books { nodes { title } } }')).toBe(21);
    expect(costOf(LIBRARY, '{ books(first: null) { nodes { title } } }')).toBe(21);
  });

  it('reads the size from a variable, or from its default', () => {
    const query = 'query Books($first: Int = 4) { books(first: $first) { nodes { title } } }';
    expect(costOf(LIBRARY, query, { first: 3 })).toBe(1 + 3);
    expect(costOf(LIBRARY, query)).toBe(1 + 4);
    expect(costOf(LIBRARY, query, { first: 100 })).toBe(1 + 100);
  });

  it('never lets a negative size lower the cost', () => {
    expect(costOf(LIBRARY, '{ books(first: -1000000) { nodes { title } } stats { total } }')).toBe(1 + 0 + 20);
  });

  it('reads a slicing argument inside an input object, with the input field’s default', () => {
    // 10 books (Filter.max defaults to 10) + the Filter input object (1).
    expect(costOf(LIBRARY, '{ filtered(filter: {}) { title } }')).toBe(10 + 1);
    expect(costOf(LIBRARY, '{ filtered(filter: { max: 2 }) { title } }')).toBe(2 + 1);
  });

  it('refuses anything but one slicing argument where @listSize requires exactly one', () => {
    expect(costOf(LIBRARY, '{ recent(last: 2) { title } }')).toBe(2);
    const refusal = (source: string) => {
      try {
        costOf(LIBRARY, source);
      } catch (error) {
        return { message: (error as GraphQLError).message, code: (error as GraphQLError).extensions.code };
      }
      throw new Error('not refused');
    };
    expect(refusal('{ recent(first: 2, last: 3) { title } }')).toEqual({
      message: 'Query.recent needs exactly one of first, last; it got 2.',
      code: 'BAD_USER_INPUT',
    });
    expect(refusal('{ recent { title } }').code).toBe('BAD_USER_INPUT');
  });

  it('multiplies nested lists', () => {
    // 100 shelves (no @listSize) × (shelf 1 + 30 books × (book 1 + author 1)).
    expect(costOf(LIBRARY, '{ shelves { books { author { name } } } }')).toBe(UNSIZED_LIST_SIZE * (1 + 30 * 2));
  });
});

describe('costEstimator: what may not hide cost', () => {
  it('counts an aliased field at each alias', () => {
    expect(costOf(BOOKSHOP, '{ a: bestsellers { title } b: bestsellers { title } c: bestsellers { title } }')).toBe(3 * 5);
  });

  it('counts a fragment at each spread, inline fragments in place, with the size of where it is spread', () => {
    const query = /* GraphQL */ `
      {
        books(first: 7) {
          ...Page
        }
        other: books(first: 2) {
          ...Page
          ... on BookConnection {
            nodes {
              author {
                name
              }
            }
          }
        }
      }
      fragment Page on BookConnection {
        nodes {
          ...Book
        }
      }
      fragment Book on Book {
        title
        author {
          name
        }
      }
    `;
    // books (1) + 7 × 2; other (1) + 2 × 2 + 2 × 2.
    expect(costOf(LIBRARY, query)).toBe(1 + 14 + 1 + 4 + 4);
  });

  it('prices exponential fragment fan-out without walking it', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on Book { author { name } }`
        : `fragment F${level} on Book { ...F${level + 1} ... on Book { ...F${level + 1} } }`,
    ).join('\n');
    // 2 books × (1 + 2^39 authors) + the weighted term (3): a walk of every spread would never end.
    expect(costOf(LIBRARY, `{ book: search(term: "a") { ...F0 } } ${fragments}`)).toBe(2 * (1 + 2 ** (levels - 1)) + 3);
  });

  it('leaves out what @skip and @include leave out, by literal or variable', () => {
    const query =
      'query ($skip: Boolean!) { bestsellers @skip(if: $skip) { title } newestAdditions(limit: 4) @include(if: false) { title } }';
    expect(costOf(BOOKSHOP, query, { skip: true })).toBe(0);
    expect(costOf(BOOKSHOP, query, { skip: false })).toBe(5);
  });

  it('does not price introspection', () => {
    expect(costOf(BOOKSHOP, '{ __typename __schema { types { fields { name } } } }')).toBe(0);
  });
});

describe('costEstimator: weights', () => {
  it('takes a field’s own weight, times its list size', () => {
    expect(costOf(LIBRARY, '{ stats { total } }')).toBe(20);
  });

  it('adds weighted arguments once, and 1 per input object', () => {
    // 2 books × 1 + the weighted term (3).
    expect(costOf(LIBRARY, '{ search(term: "Rabelais") { title } }')).toBe(2 + 3);
    // Base 10 + 1 book returned + 3 input objects, one with a weighted isbn (2).
    const mutation = 'mutation ($books: [BookInput!]!) { addBooks(books: $books) { title } }';
    expect(costOf(LIBRARY, mutation, { books: [{ title: 'a' }, { title: 'b' }, { title: 'c', isbn: '978' }] })).toBe(
      MUTATION_BASE_COST + 1 + 3 + 2,
    );
  });
});

describe('costDirectivesOf', () => {
  it('follows the names a schema links the cost specification under', () => {
    const directives = costDirectivesOf(
      parse(/* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price", import: [{ name: "@listSize", as: "@size" }])
        type Query {
          books: [Book] @size(assumedSize: 3) @cost(weight: 99)
          book: Book @price(weight: 7) @listSize(assumedSize: 99)
        }
        type Book {
          title: String
        }
      `),
    );
    expect(directives.listSize('Query.books')).toEqual({
      assumedSize: 3,
      slicingArguments: [],
      sizedFields: [],
      requireOneSlicingArgument: true,
    });
    expect(directives.weight('Query.books')).toBeUndefined();
    expect(directives.weight('Query.book')).toBe(7);
    expect(directives.listSize('Query.book')).toBeUndefined();
  });

  it('reads what composition carried into the supergraph from the subgraphs', () => {
    const directives = costDirectivesOf(parse(readFileSync(path.resolve(__dirname, '../../../../../schema/supergraph.graphql'), 'utf8')));
    expect(directives.listSize('District.buildings')).toEqual({
      assumedSize: 20,
      slicingArguments: ['first'],
      sizedFields: ['edges', 'nodes'],
      requireOneSlicingArgument: false,
    });
    expect(directives.weight('District.stock')).toBe(20);
    expect(directives.listSize('District.actions')?.assumedSize).toBe(50);
  });
});
