import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { type DocumentNode, parse } from 'graphql';
import type { Db } from 'mongodb';
import type { Caller } from '../../lib/auth/caller';
import type { SubgraphName } from '../../lib/subgraphs';
import type { Access } from './access';
import type { BackgroundTask } from './backgroundTasks';
import type { Directory } from './directory';
import type { RequestLoaders } from './loaders';

export type { SubgraphName };

/** A subgraph is its SDL, its resolvers, its indexes and its per-request store; `startSubgraph` serves any of them. */
export interface SubgraphDefinition<TStore> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<TStore>>;
  ensureIndexes(db: Db): Promise<void>;
  createStore(db: Db, scope: StoreScope): TStore;
  /** Its work outside any request (derived data kept in step, purges); asked for at start, so it may read settings. */
  backgroundTasks?(): readonly BackgroundTask[];
}

/** The directory of the subgraph SDLs (copied beside the compiled code by the build). */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

/** The subgraph's SDL from `schema/<name>.graphql`: the schema is the source, the code follows it. */
export function loadSubgraphSdl(name: SubgraphName): DocumentNode {
  return parse(readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8'));
}

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
