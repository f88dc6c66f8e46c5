import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** How much an operation asks for, with every fragment counted where it is spread. */
export interface OperationShape {
  /** Nesting of fields: `{ district { name } }` is 2 deep. */
  depth: number;
  /** Fields selected under an alias, e.g. `a: district(id: 1)`. */
  aliases: number;
  /** Fields selected in all (leaves included), each one the gateway plans and merges. */
  selections: number;
}

const NOTHING: OperationShape = { depth: 0, aliases: 0, selections: 0 };

/** A subgraph's entity field, which only the gateway asks for. */
const ENTITIES = '_entities';

/**
 * Measures an operation. A fragment spread twice counts twice, as the server will resolve it twice, but is
 * measured once. Introspection (`__schema`, `__type`, `__typename`) is not counted: it never reaches a
 * subgraph, and it is refused altogether where introspection is off. Nor is an alias on a root `_entities` field:
 * the gateway sends a plan's side-by-side entity fetches as one call, one alias each, and what they ask for is
 * bounded in all by the representations they carry (TOO_MANY_REPRESENTATIONS). A fragment cycle counts as nothing
 * here; graphql's own NoFragmentCycles rule refuses it.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined,
): OperationShape {
  const fragments = new Map<string, OperationShape>();
  const measuring = new Set<string>();

  const measureFragment = (name: string): OperationShape => {
    const known = fragments.get(name);
    if (known) return known;
    const fragment = fragmentNamed(name);
    if (!fragment || measuring.has(name)) return NOTHING;
    measuring.add(name);
    const shape = measureSelectionSet(fragment.selectionSet);
    measuring.delete(name);
    fragments.set(name, shape);
    return shape;
  };

  const measureSelectionSet = (selectionSet: SelectionSetNode, root = false): OperationShape => {
    let depth = 0;
    let aliases = 0;
    let selections = 0;
    for (const selection of selectionSet.selections) {
      let inner: OperationShape;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const below = selection.selectionSet ? measureSelectionSet(selection.selectionSet) : NOTHING;
        const aliased = selection.alias !== undefined && !(root && selection.name.value === ENTITIES);
        inner = { depth: below.depth + 1, aliases: below.aliases + (aliased ? 1 : 0), selections: below.selections + 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSelectionSet(selection.selectionSet);
      } else {
        inner = measureFragment(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      selections += inner.selections;
    }
    return { depth, aliases, selections };
  };

  return measureSelectionSet(operation.selectionSet, true);
}
