import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { QueryLimitCode } from '../../../../lib/limits/limitRules';
import { canonicalJson } from '../../dedup';
import { costDirectivesOf } from './costDirectives';
import { costEstimator } from './estimateCost';

const QUERY_TOO_COMPLEX: QueryLimitCode = 'QUERY_TOO_COMPLEX';

/** What the operations' costs kept may take of memory, keys included. */
const COST_MEMO_BYTES = 8 * 1024 * 1024;

/** A request carrying `X-Query-Cost: estimate` gets its operation's estimated cost in the response's `extensions`. */
const COST_HEADER = 'x-query-cost';
const COST_HEADER_VALUE = 'estimate';

export interface DemandControlOptions {
  /** The composed supergraph, whose `@cost` and `@listSize` price the operations. */
  supergraphSdl: string;
  /** The largest estimated cost an operation may have (MAX_QUERY_COST). */
  maxCost: number;
}

/**
 * Demand control: prices each operation with its variables (see costEstimator) once it is validated,
 * and refuses one over `maxCost` with QUERY_TOO_COMPLEX (400), its estimated cost in `extensions.cost` and the
 * maximum in `extensions.maxCost`, before the gateway plans it or calls any subgraph.
 */
export function demandControl({ supergraphSdl, maxCost }: DemandControlOptions): ApolloServerPlugin {
  const estimateCost = costEstimator(costDirectivesOf(parse(supergraphSdl)));
  // A cost depends on the document, the operation and its variables alone (the supergraph is fixed): priced once each.
  // Bounded by its keys' size, not their number: each holds variables, up to a request body's size.
  const costs = new LRUCache<string, number>({ maxSize: COST_MEMO_BYTES, sizeCalculation: (_cost, key) => key.length });
  return {
    async requestDidStart({ request }) {
      const reportCost = request.http?.headers.get(COST_HEADER) === COST_HEADER_VALUE;
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, queryHash }) {
          if (!operation) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not fit their types: the gateway refuses them itself (BAD_USER_INPUT), calling no subgraph.
          if (!variables.coerced) return;
          const key = JSON.stringify([queryHash, operation.name?.value ?? null, canonicalJson(variables.coerced)]);
          cost = costs.get(key);
          if (cost === undefined) {
            const fragments = new Map(
              document.definitions.flatMap((definition) =>
                definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
              ),
            );
            cost = estimateCost({ schema, operation, fragmentNamed: (name) => fragments.get(name), variables: variables.coerced });
            costs.set(key, cost);
          }
          if (cost > maxCost) {
            throw new GraphQLError(
              `The operation's estimated cost is ${cost} (each list counted at its requested or assumed size); at most ${maxCost} is allowed.`,
              { nodes: [operation], extensions: { code: QUERY_TOO_COMPLEX, cost, maxCost, http: { status: 400 } } },
            );
          }
        },
        async willSendResponse({ response }) {
          if (reportCost && cost !== undefined && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost, maxCost };
          }
        },
      };
    },
  };
}
