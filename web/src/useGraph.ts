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
export function useGraph<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables, skip = false): GraphState<TData> {
  const [state, setState] = useState<Omit<GraphState<TData>, 'reload'>>({ data: null, errors: [], failure: null, loading: !skip });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    execute(document, JSON.parse(key) as TVariables).then(
      (result) => current && setState({ data: result.data, errors: result.errors, failure: null, loading: false }),
      (error: unknown) => current && setState({ data: null, errors: [], failure: error instanceof Error ? error.message : String(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [document, key, skip, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
