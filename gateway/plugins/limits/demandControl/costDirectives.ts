import { Kind, valueFromASTUntyped, type ConstDirectiveNode, type DefinitionNode, type DocumentNode } from 'graphql';

/** A field's `@listSize`: how many items its list (or the lists named in `sizedFields`) holds. */
export interface ListSize {
  assumedSize?: number;
  /** Arguments (or `argument.inputField` paths) whose value is the size, e.g. `first`. */
  slicingArguments: readonly string[];
  /** Fields of the returned object that are the sized lists, e.g. a connection's `edges` and `nodes`. */
  sizedFields: readonly string[];
  requireOneSlicingArgument: boolean;
}

/**
 * The `@cost` and `@listSize` directives of a schema, by schema coordinate: `Type` (a type's weight),
 * `Type.field`, `Type.field(argument:)` and `Input.field`.
 */
export interface CostDirectives {
  weight(coordinate: string): number | undefined;
  listSize(coordinate: string): ListSize | undefined;
}

/** The specification a supergraph links for them: `@link(url: "https://specs.apollo.dev/cost/v0.1", …)`. */
const COST_SPEC_URL = /^https:\/\/specs\.apollo\.dev\/cost\/v\d+\.\d+$/;

/**
 * Reads `@cost` and `@listSize` from an SDL document: the composed supergraph (composition carries every
 * subgraph's directives there; the client-facing API schema drops them) or any schema that declares them.
 */
export function costDirectivesOf(document: DocumentNode): CostDirectives {
  const names = directiveNames(document.definitions);
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();

  const read = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      const argumentsOf = Object.fromEntries(
        (directive.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
      );
      if (directive.name.value === names.cost && typeof argumentsOf.weight === 'number') {
        weights.set(coordinate, argumentsOf.weight);
      } else if (directive.name.value === names.listSize) {
        listSizes.set(coordinate, {
          ...(typeof argumentsOf.assumedSize === 'number' && { assumedSize: argumentsOf.assumedSize }),
          slicingArguments: stringsOf(argumentsOf.slicingArguments),
          sizedFields: stringsOf(argumentsOf.sizedFields),
          requireOneSlicingArgument: argumentsOf.requireOneSlicingArgument !== false,
        });
      }
    }
  };

  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        read(definition.name.value, definition.directives);
        for (const field of definition.fields ?? []) {
          const coordinate = `${definition.name.value}.${field.name.value}`;
          read(coordinate, field.directives);
          for (const argument of field.arguments ?? []) read(`${coordinate}(${argument.name.value}:)`, argument.directives);
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) read(`${definition.name.value}.${field.name.value}`, field.directives);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        read(definition.name.value, definition.directives);
        break;
      default:
        break;
    }
  }
  return { weight: (coordinate) => weights.get(coordinate), listSize: (coordinate) => listSizes.get(coordinate) };
}

/**
 * What the two directives are called in this schema. Under `@link` a specification's eponymous directive is
 * `@cost` (or the link's `as:` name); its other directives are `@listSize` when imported (possibly renamed)
 * and `@cost__listSize` otherwise. A schema that links nothing declares them under their own names.
 */
function directiveNames(definitions: readonly DefinitionNode[]): { cost: string; listSize: string } {
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const argumentsOf = Object.fromEntries(
        (link.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
      );
      if (typeof argumentsOf.url !== 'string' || !COST_SPEC_URL.test(argumentsOf.url)) continue;
      const namespace = typeof argumentsOf.as === 'string' ? argumentsOf.as : 'cost';
      const imported = new Map<string, string>();
      const imports: unknown[] = Array.isArray(argumentsOf.import) ? argumentsOf.import : [];
      for (const entry of imports) {
        if (typeof entry === 'string') imported.set(entry, entry);
        else if (entry && typeof entry === 'object' && 'name' in entry && typeof entry.name === 'string')
          imported.set(entry.name, 'as' in entry && typeof entry.as === 'string' ? entry.as : entry.name);
      }
      return {
        cost: imported.get('@cost')?.slice(1) ?? namespace,
        listSize: imported.get('@listSize')?.slice(1) ?? `${namespace}__listSize`,
      };
    }
  }
  return { cost: 'cost', listSize: 'listSize' };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
