import { Kind, parse } from 'graphql';

/** The label for operations without a name, and for names beyond what a label may take. */
export const ANONYMOUS_OPERATION = 'anonymous';
export const OTHER_OPERATION = 'other';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * How operations are named in metric labels, where every distinct value is a time series kept forever: a name from
 * `known` (the gateway's published operations), or, without `known`, one of the first `cap` distinct names seen (a
 * subgraph, whose operations the gateway names `<client operation>__<subgraph>__<n>`: labelled by the client
 * operation). Anything else is `other`, so a client sending made-up names cannot grow the series without bound.
 */
export function operationLabeller(options: { known?: ReadonlySet<string>; cap: number }): (name: string | null | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return ANONYMOUS_OPERATION;
    const operation = name.split('__')[0] ?? name;
    if (options.known) return options.known.has(operation) ? operation : OTHER_OPERATION;
    if (seen.has(operation)) return operation;
    if (seen.size >= options.cap || !GRAPHQL_NAME.test(operation)) return OTHER_OPERATION;
    seen.add(operation);
    return operation;
  };
}

/** The names of the operations in `documents` (GraphQL texts, e.g. the persisted documents). */
export function operationNamesOf(documents: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const document of documents) {
    for (const definition of parse(document).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
    }
  }
  return names;
}
