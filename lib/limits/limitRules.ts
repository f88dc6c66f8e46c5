import { GraphQLError, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from 'graphql';
import { measureOperation, type OperationShape } from './operationShape';
import type { GatewayErrorCode } from '../errorCodes';

/** Codes of the refusals below, stable for clients. */
export type QueryLimitCode = Extract<GatewayErrorCode, 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'QUERY_TOO_COMPLEX'>;

/** A validation error that names its own code; Apollo would otherwise report GRAPHQL_VALIDATION_FAILED. */
export class QueryLimitError extends GraphQLError {
  constructor(
    message: string,
    readonly code: QueryLimitCode,
    operation: OperationDefinitionNode,
  ) {
    super(message, { nodes: [operation], extensions: { code } });
  }
}

// The three rules run on the same document: each operation is measured once.
const shapes = new WeakMap<OperationDefinitionNode, OperationShape>();

function shapeOf(operation: OperationDefinitionNode, context: ValidationContext): OperationShape {
  let shape = shapes.get(operation);
  if (!shape) {
    shape = measureOperation(operation, (name) => context.getFragment(name));
    shapes.set(operation, shape);
  }
  return shape;
}

function limitRule(refusal: (shape: OperationShape, operation: OperationDefinitionNode) => QueryLimitError | undefined): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const error = refusal(shapeOf(operation, context), operation);
      if (error) context.reportError(error);
    },
  });
}

export function maxDepthRule(maxDepth: number): ValidationRule {
  return limitRule(({ depth }, operation) =>
    depth > maxDepth
      ? new QueryLimitError(
          `The operation nests fields ${depth} levels deep; at most ${maxDepth} are allowed.`,
          'QUERY_TOO_DEEP',
          operation,
        )
      : undefined,
  );
}

export function maxAliasesRule(maxAliases: number): ValidationRule {
  return limitRule(({ aliases }, operation) =>
    aliases > maxAliases
      ? new QueryLimitError(`The operation uses ${aliases} aliases; at most ${maxAliases} are allowed.`, 'TOO_MANY_ALIASES', operation)
      : undefined,
  );
}

/**
 * A cheap pre-check beside the estimated cost (see demandControl): the cost specification prices leaves at 0,
 * yet an operation that spreads fragments into fragments makes the gateway plan every selection they expand
 * to, exponentially many (twenty levels of two spreads: seconds of gateway CPU for a cost of 1).
 */
export function maxSelectionsRule(maxSelections: number): ValidationRule {
  return limitRule(({ selections }, operation) =>
    selections > maxSelections
      ? new QueryLimitError(
          `The operation selects ${selections} fields (each fragment counted where it is used); at most ${maxSelections} are allowed.`,
          'QUERY_TOO_COMPLEX',
          operation,
        )
      : undefined,
  );
}
