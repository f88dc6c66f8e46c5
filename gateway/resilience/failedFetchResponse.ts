import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type ResponsePath = (string | number)[];

/**
 * A subgraph's answer for a fetch it could not serve: no data, and one error on each field the fetch would
 * have filled. The gateway maps `_entities` paths onto the entities' places in the client's result, so the
 * client sees the error where the data is missing (`["district", "note"]`), beside everything the other
 * subgraphs answered.
 */
export function failedFetchResponse(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  failure: { message: string; code: string },
): { errors: GraphQLFormattedError[] } {
  const paths = affectedPaths(document, variables);
  const error = (path?: ResponsePath): GraphQLFormattedError => ({
    message: failure.message,
    ...(path && { path }),
    extensions: { code: failure.code },
  });
  return { errors: paths.length > 0 ? paths.map(error) : [error()] };
}

function affectedPaths(document: DocumentNode, variables: Record<string, unknown> | undefined): ResponsePath[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return [];

  const paths: ResponsePath[] = [];
  for (const { key, name, selectionSet } of fieldsOf(operation.selectionSet, fragments, undefined)) {
    const representations = variables?.representations;
    if (name !== '_entities' || !selectionSet || !Array.isArray(representations)) {
      paths.push([key]);
      continue;
    }
    representations.forEach((representation: unknown, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const fields = fieldsOf(selectionSet, fragments, typeof typename === 'string' ? typename : undefined);
      if (fields.length === 0) paths.push([key, index]);
      for (const field of fields) paths.push([key, index, field.key]);
    });
  }
  return paths;
}

/** The fields a selection set selects at its own level (`__typename` aside), looking into fragments that apply to `typename`. */
function fieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  typename: string | undefined,
): { key: string; name: string; selectionSet?: SelectionSetNode }[] {
  const fields = new Map<string, { key: string; name: string; selectionSet?: SelectionSetNode }>();
  const applies = (typeCondition: { name: { value: string } } | undefined) =>
    typename === undefined || typeCondition === undefined || typeCondition.name.value === typename;
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const key = selection.alias?.value ?? selection.name.value;
        if (!fields.has(key)) fields.set(key, { key, name: selection.name.value, selectionSet: selection.selectionSet });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition)) visit(selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value) && applies(fragment.typeCondition)) {
          visit(fragment.selectionSet, new Set(seen).add(fragment.name.value));
        }
      }
    }
  };
  visit(selectionSet, new Set());
  return [...fields.values()];
}
