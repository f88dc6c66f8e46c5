import type { GraphQLFormattedError } from 'graphql';
import {
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type VariableDefinitionNode,
  parse,
  print,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Entity fetches to one subgraph that a query plan runs side by side (a district's request statistics and its
 * buildings', both from tenancy) sent as one call, each `_entities` field under an alias of its own: one HTTP
 * round trip and one subgraph request instead of several, as Hive's router merges fetches. Only fetches of the same
 * client request merge (same caller, same variables), and only `_entities` fetches whose other variables agree.
 */

/** The part of a subgraph's answer that merging splits: data and errors (headers and extensions stand for all). */
export interface MergeableAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** One entity fetch as the planner made it: `_entities(representations: $representations)` and its variables. */
export interface EntityFetch {
  query: string;
  variables: Record<string, unknown>;
}

/** Several entity fetches as one operation, and how to give each its own answer back. */
export interface MergedFetch {
  query: string;
  operationName: string;
  document: DocumentNode;
  variables: Record<string, unknown>;
  /** The answer of the merged call, with data, as each fetch would have received it alone. */
  split<T extends MergeableAnswer>(answer: T): T[];
}

/** The alias and the representations variable of the `index`-th fetch of a merged call. */
const ALIAS_PREFIX = '_entities_';
const aliasOf = (index: number) => `${ALIAS_PREFIX}${index}`;
const representationsOf = (index: number) => `representations_${index}`;

/** Shapes of merged operations, by their parts' queries: a plan's fetches repeat with every request. */
const shapes = new LRUCache<string, MergedShape | false>({ max: 500 });

interface MergedShape {
  query: string;
  operationName: string;
  document: DocumentNode;
  /** The variables the fetches share (besides their representations). */
  shared: readonly string[];
}

/**
 * The fetches as one operation; undefined when they cannot merge: a query that is not one `_entities` field over
 * `$representations`, variables of one name but different types or values, fragments of one name that differ.
 */
export function mergeEntityFetches(fetches: readonly EntityFetch[]): MergedFetch | undefined {
  const shapeKey = JSON.stringify(fetches.map((fetch) => fetch.query));
  let shape = shapes.get(shapeKey);
  if (shape === undefined) {
    shape = mergedShape(fetches.map((fetch) => fetch.query)) ?? false;
    shapes.set(shapeKey, shape);
  }
  if (shape === false) return undefined;
  const variables: Record<string, unknown> = {};
  for (const name of shape.shared) {
    // A variable one fetch declares and another does not is still the client's one value; an optional one may be absent.
    const given = fetches.filter((fetch) => fetch.variables[name] !== undefined).map((fetch) => fetch.variables[name]);
    if (given.some((value) => JSON.stringify(value) !== JSON.stringify(given[0]))) return undefined;
    if (given.length > 0) variables[name] = given[0];
  }
  fetches.forEach((fetch, index) => (variables[representationsOf(index)] = fetch.variables.representations));
  const { query, operationName, document } = shape;
  return { query, operationName, document, variables, split: (answer) => fetches.map((_, index) => answerOf(answer, index)) };
}

function mergedShape(queries: readonly string[]): MergedShape | undefined {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, string>();
  const fragmentNodes: DocumentNode['definitions'][number][] = [];
  const variableTypes = new Map<string, string>();
  const variableNodes: VariableDefinitionNode[] = [];
  for (const [index, query] of queries.entries()) {
    const document = parse(query);
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operation || operation.operation !== OperationTypeNode.QUERY || !isEntitiesFetch(operation)) return undefined;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (definition !== operation) return undefined;
        continue;
      }
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) return undefined;
      const printed = print(definition);
      const known = fragments.get(definition.name.value);
      if (known !== undefined && known !== printed) return undefined;
      if (known === undefined) fragmentNodes.push(definition);
      fragments.set(definition.name.value, printed);
    }
    for (const variable of operation.variableDefinitions ?? []) {
      const name = variable.variable.name.value;
      if (name === 'representations') {
        variableNodes.push({ ...variable, variable: { ...variable.variable, name: { kind: Kind.NAME, value: representationsOf(index) } } });
        continue;
      }
      const type = print(variable);
      const known = variableTypes.get(name);
      if (known !== undefined && known !== type) return undefined;
      if (known === undefined) variableNodes.push(variable);
      variableTypes.set(name, type);
    }
    operations.push(operation);
  }
  const fields = operations.map((operation, index) => {
    const field = operation.selectionSet.selections[0]!;
    if (field.kind !== Kind.FIELD) throw new Error('checked by isEntitiesFetch');
    return {
      ...field,
      alias: { kind: Kind.NAME, value: aliasOf(index) },
      arguments: [
        {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: 'representations' },
          value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: representationsOf(index) } },
        },
      ],
    } as const;
  });
  const operationName = operations[0]!.name?.value ?? 'EntityFetches';
  const merged: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: { kind: Kind.NAME, value: operationName },
    variableDefinitions: variableNodes,
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [merged, ...(fragmentNodes as DocumentNode['definitions'])] };
  return { query: print(document), operationName, document, shared: [...variableTypes.keys()] };
}

/** One field, `_entities(representations: $representations)`, unaliased, with no directive. */
function isEntitiesFetch(operation: OperationDefinitionNode): boolean {
  const [field, ...others] = operation.selectionSet.selections;
  if (!field || others.length > 0 || field.kind !== Kind.FIELD || field.name.value !== '_entities' || field.alias) return false;
  if (field.directives?.length || operation.directives?.length) return false;
  const [argument, ...otherArguments] = field.arguments ?? [];
  return (
    otherArguments.length === 0 &&
    argument?.name.value === 'representations' &&
    argument.value.kind === Kind.VARIABLE &&
    argument.value.name.value === 'representations'
  );
}

/** The `index`-th fetch's answer in the merged one: its field as `_entities`, the errors under it, and those under none. */
function answerOf<T extends MergeableAnswer>(answer: T, index: number): T {
  const alias = aliasOf(index);
  const errors = answer.errors?.flatMap((error) => {
    const [root, ...below] = error.path ?? [];
    if (typeof root !== 'string' || !root.startsWith(ALIAS_PREFIX)) return [error];
    return root === alias ? [{ ...error, path: ['_entities', ...below] }] : [];
  });
  const { errors: _all, ...rest } = answer;
  return { ...rest, data: { _entities: answer.data?.[alias] ?? null }, ...(errors?.length && { errors }) } as unknown as T;
}
