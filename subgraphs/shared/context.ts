import type { Caller } from '../../lib/auth/caller';
import type { Access } from './access';
import type { Directory } from './directory';
import type { RequestLoaders } from './loaders';

/** What every resolver of every subgraph receives: the verified caller, the sharing rule, and its subgraph's store. */
export interface SubgraphContext<TStore> {
  caller: Caller;
  access: Access;
  directory: Directory;
  requestId: string;
  store: TStore;
}

/** The per-request pieces a subgraph's store is built from (the HTTP request itself is lib/http/requestScope). */
export interface StoreScope {
  caller: Caller;
  access: Access;
  directory: Directory;
  loaders: RequestLoaders;
}
