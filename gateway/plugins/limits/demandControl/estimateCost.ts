import {
  OperationTypeNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDirectives, ListSize } from './costDirectives';

/** What a mutation costs before any of its fields: it writes. */
export const MUTATION_BASE_COST = 10;

/**
 * The size of a list no `@listSize` describes. Every list of this graph is sized (test/schema checks it); a
 * forgotten one is priced as the largest page a subgraph serves rather than as free.
 */
export const UNSIZED_LIST_SIZE = 100;

export interface CostEstimateRequest {
  /** The schema the operation was validated against. */
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined;
  /** The operation's variables, coerced (defaults applied). */
  variables: Record<string, unknown>;
}

/** What prices a field, whatever the operation: read once per field of the schema. */
interface FieldPricing {
  coordinate: string;
  listSize: ListSize | undefined;
  isList: boolean;
  /** Its `@cost`, else its type's, else 1 for an object or interface and 0 for a leaf. */
  weight: number;
  /** Whether an argument can size the list or cost anything; if not, its arguments are not even read. */
  readsArguments: boolean;
}

/** The lists in a selection set that an enclosing field's `@listSize(sizedFields:)` sizes, e.g. a connection's `nodes`. */
interface Sizing {
  size: number;
  fields: readonly string[];
}

/**
 * Prices operations with a schema's cost directives: the function it returns gives an operation's cost as the
 * GraphQL cost directive specification defines it, and as Apollo's demand control and Hive Gateway compute it:
 * - a mutation costs MUTATION_BASE_COST, a query nothing, before its fields;
 * - a field costs its `@cost(weight:)`, else its type's, else 1 for an object or interface and 0 for a leaf,
 *   plus the cost of its selections; a list field costs that times its size;
 * - a list's size is the largest of its `@listSize` slicing arguments given (`first: 100`, from a variable
 *   or a default as well), else its `assumedSize`; a connection's `sizedFields` (`edges`, `nodes`) take the
 *   size from the connection field's slicing argument; a negative size counts as 0;
 * - an argument costs its `@cost` weight; each input object in it costs 1 unless weighted otherwise.
 *
 * Every selection is priced where it is: an aliased field at each alias, a fragment at each spread (each
 * fragment priced once per sizing, however often it is spread, so that nested spreads cannot make this walk
 * exponential). Fields that @skip/@include leave out cost nothing, nor does introspection. A selection on an
 * abstract type counts every branch, an upper bound.
 *
 * What prices each field of the schema is read once, on its first use. The function throws BAD_USER_INPUT when
 * a field's `@listSize` requires exactly one slicing argument and gets another count.
 */
export function costEstimator(directives: CostDirectives): (request: CostEstimateRequest) => number {
  const fieldPricings = new WeakMap<GraphQLField<unknown, unknown>, FieldPricing>();
  const pricingOf = (field: GraphQLField<unknown, unknown>, parentType: GraphQLCompositeType): FieldPricing => {
    let pricing = fieldPricings.get(field);
    if (!pricing) {
      const coordinate = `${parentType.name}.${field.name}`;
      const listSize = directives.listSize(coordinate);
      const type = getNamedType(field.type);
      pricing = {
        coordinate,
        listSize,
        isList: isListType(getNullableType(field.type)),
        weight: directives.weight(coordinate) ?? directives.weight(type.name) ?? (isCompositeType(type) ? 1 : 0),
        readsArguments:
          (listSize?.slicingArguments.length ?? 0) > 0 ||
          field.args.some(
            (argument) =>
              isInputObjectType(getNamedType(argument.type)) || directives.weight(`${coordinate}(${argument.name}:)`) !== undefined,
          ),
      };
      fieldPricings.set(field, pricing);
    }
    return pricing;
  };
  return (request) => estimate(request, directives, pricingOf);
}

function estimate(
  { schema, operation, fragmentNamed, variables }: CostEstimateRequest,
  directives: CostDirectives,
  pricingOf: (field: GraphQLField<unknown, unknown>, parentType: GraphQLCompositeType) => FieldPricing,
): number {
  const fragmentCosts = new Map<string, number>();
  const fragmentsInProgress = new Set<string>();

  const included = (selection: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean =>
    !selection.directives?.length ||
    (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if !== true &&
      getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false);

  const priceSelectionSet = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, sizing: Sizing | undefined): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        cost += priceField(selection, parentType, sizing);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += priceSelectionSet(selection.selectionSet, typeNamed(selection.typeCondition?.name.value) ?? parentType, sizing);
      } else {
        cost += priceFragment(selection.name.value, sizing);
      }
    }
    return cost;
  };

  const priceFragment = (name: string, sizing: Sizing | undefined): number => {
    const key = sizing ? `${name} ${sizing.size} ${sizing.fields.join(' ')}` : name;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = fragmentNamed(name);
    const type = typeNamed(fragment?.typeCondition.name.value);
    // A cycle is refused by graphql's NoFragmentCycles rule before any pricing.
    if (!fragment || !type || fragmentsInProgress.has(key)) return 0;
    fragmentsInProgress.add(key);
    const cost = priceSelectionSet(fragment.selectionSet, type, sizing);
    fragmentsInProgress.delete(key);
    fragmentCosts.set(key, cost);
    return cost;
  };

  const priceField = (node: FieldNode, parentType: GraphQLCompositeType, sizing: Sizing | undefined): number => {
    if (node.name.value.startsWith('__')) return 0;
    const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    if (!field) return 0; // validation refused it already
    const { coordinate, listSize, isList, weight, readsArguments } = pricingOf(field, parentType);
    const argumentValues = readsArguments ? getArgumentValues(field, node, variables) : {};
    const declaredSize = listSize && sizeOf(listSize, argumentValues, coordinate);
    const count = !isList ? 1 : sizing?.fields.includes(field.name) ? sizing.size : (declaredSize ?? UNSIZED_LIST_SIZE);
    const childSizing = listSize?.sizedFields.length
      ? { size: declaredSize ?? UNSIZED_LIST_SIZE, fields: listSize.sizedFields }
      : undefined;
    const type = getNamedType(field.type);
    const selectionsCost = node.selectionSet && isCompositeType(type) ? priceSelectionSet(node.selectionSet, type, childSizing) : 0;
    let argumentsCost = 0;
    if (readsArguments) {
      for (const argument of field.args)
        argumentsCost += priceInput(argumentValues[argument.name], argument.type, `${coordinate}(${argument.name}:)`);
    }
    return count * (weight + selectionsCost) + argumentsCost;
  };

  const priceInput = (value: unknown, type: GraphQLInputType, coordinate: string): number => {
    if (value === null || value === undefined) return 0;
    const nullableType = getNullableType(type);
    if (isListType(nullableType)) {
      return Array.isArray(value) ? value.reduce<number>((cost, item) => cost + priceInput(item, nullableType.ofType, coordinate), 0) : 0;
    }
    if (isInputObjectType(nullableType)) {
      let cost = directives.weight(coordinate) ?? 1;
      for (const inputField of Object.values(nullableType.getFields())) {
        cost += priceInput((value as Record<string, unknown>)[inputField.name], inputField.type, `${nullableType.name}.${inputField.name}`);
      }
      return cost;
    }
    return directives.weight(coordinate) ?? 0;
  };

  const typeNamed = (name: string | undefined): GraphQLCompositeType | undefined => {
    const type = name === undefined ? undefined : schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0; // validation refused it already
  return (
    (operation.operation === OperationTypeNode.MUTATION ? MUTATION_BASE_COST : 0) +
    priceSelectionSet(operation.selectionSet, rootType, undefined)
  );
}

/** The size `@listSize` gives a field with these argument values; undefined when it gives none. */
function sizeOf(listSize: ListSize, argumentValues: Record<string, unknown>, coordinate: string): number | undefined {
  const given = listSize.slicingArguments
    .map((path) =>
      path
        .split('.')
        .reduce<unknown>(
          (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
          argumentValues,
        ),
    )
    .filter((value): value is number => typeof value === 'number');
  if (listSize.slicingArguments.length > 0 && listSize.requireOneSlicingArgument && given.length !== 1) {
    throw new GraphQLError(`${coordinate} needs exactly one of ${listSize.slicingArguments.join(', ')}; it got ${given.length}.`, {
      extensions: { code: 'BAD_USER_INPUT', field: listSize.slicingArguments.join(', '), http: { status: 400 } },
    });
  }
  return given.length > 0 ? Math.max(0, ...given) : listSize.assumedSize;
}
