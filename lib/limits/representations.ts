import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { SubgraphErrorCode } from '../errorCodes';

/**
 * Entity representations one subgraph request may carry. An `_entities` call costs the subgraph work in
 * proportion to them, whatever the query's shape; the gateway splits larger fetches (forwardingDataSource).
 */
export const MAX_REPRESENTATIONS = 1_000;

export const TOO_MANY_REPRESENTATIONS: SubgraphErrorCode = 'TOO_MANY_REPRESENTATIONS';

/**
 * Refuses, with 400 TOO_MANY_REPRESENTATIONS and before anything is resolved, an operation whose `_entities`
 * fields ask for more than `max` representations in all (aliases and fragments included).
 */
export function representationLimit(max: number = MAX_REPRESENTATIONS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          // Apollo has refused a request naming no operation of its document before this hook.
          if (!operation) return;
          const count = representationsIn(operation.selectionSet, fragmentsOf(document), request.variables ?? {}, new Set());
          if (count > max) {
            throw new GraphQLError(`The request asks for ${count} entities; at most ${max} are allowed in one request.`, {
              extensions: { code: TOO_MANY_REPRESENTATIONS, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
    ),
  );
}

/** `_entities` is a root field: only the operation's own level (and fragments spread there) is looked at. */
function representationsIn(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  spread: Set<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const argument =
        selection.name.value === '_entities'
          ? selection.arguments?.find((candidate) => candidate.name.value === 'representations')
          : undefined;
      if (argument) count += listLength(argument.value, variables);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += representationsIn(selection.selectionSet, fragments, variables, spread);
    } else {
      const fragment = fragments.get(selection.name.value);
      // A fragment cycle is refused by validation; here it must only not loop.
      if (fragment && !spread.has(fragment.name.value)) {
        count += representationsIn(fragment.selectionSet, fragments, variables, new Set(spread).add(fragment.name.value));
      }
    }
  }
  return count;
}

/** Items of a list argument, literal or variable; a single value stands for a list of one, as GraphQL coerces it. */
function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.NULL) return 0;
  if (value.kind !== Kind.VARIABLE) return 1;
  const variable = variables[value.name.value];
  if (Array.isArray(variable)) return variable.length;
  return variable === null || variable === undefined ? 0 : 1;
}
