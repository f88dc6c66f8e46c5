import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute, type GraphError } from './client';

export interface GraphState<TData> {
  data: TData | null;
  /** Errors beside the data (partial answers): fields that are null for a reason. */
  errors: GraphError[];
  /** The request failed as a whole. */
  failure: string | null;
  loading: boolean;
  reload: () => void;
}

/** Runs a query when its variables change (compared by value); `skip` waits for them. */
export function useGraph<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  skip = false,
): GraphState<TData> {
  const key = JSON.stringify(variables);
  // `loadedKey`: the variables the data was read with; data for other variables is stale, so the state is loading.
  const [state, setState] = useState<Omit<GraphState<TData>, 'reload'> & { loadedKey: string | null }>({
    data: null,
    errors: [],
    failure: null,
    loading: !skip,
    loadedKey: null,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (skip) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    execute(document, JSON.parse(key) as TVariables).then(
      (result) => current && setState({ data: result.data, errors: result.errors, failure: null, loading: false, loadedKey: key }),
      (error: unknown) =>
        current &&
        setState({
          data: null,
          errors: [],
          failure: error instanceof Error ? error.message : String(error),
          loading: false,
          loadedKey: key,
        }),
    );
    return () => {
      current = false;
    };
  }, [document, key, skip, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const { loadedKey, ...rest } = state;
  return { ...rest, loading: rest.loading || (!skip && loadedKey !== key), reload };
}
