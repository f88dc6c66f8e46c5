import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields selected under the field being resolved (through fragments too), so that a data
 * module can compute only what the query asks for. Conditional directives (@include/@skip) are ignored:
 * a field they may drop still counts as selected, which errs on the side of computing too much.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const fieldNode of info.fieldNodes) visit(fieldNode.selectionSet);
  return names;
}
