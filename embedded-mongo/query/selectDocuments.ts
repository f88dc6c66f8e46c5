import type { Document } from 'bson';
import type { CollectionStore } from '../storage/collectionStore';
import { compileFilter, sortDocuments } from './queryEngine';

export interface Selection {
  filter?: Document;
  sort?: Document;
  skip?: number;
  /** 0 means no limit, as in MongoDB commands. */
  limit?: number;
  /** The command's `let` parameters. */
  variables?: Document;
}

/** The stored documents matching a selection, sorted, with skip and limit applied. */
export function selectDocuments(store: CollectionStore | undefined, selection: Selection): Document[] {
  const { filter = {}, sort = {}, skip = 0, limit = 0, variables } = selection;
  // Compiled first so a malformed filter fails even on a collection that does not exist.
  const matches = compileFilter(filter, variables, store?.evaluation);
  if (store === undefined) return [];
  const isSorted = Object.keys(sort).length > 0;
  // Unsorted, the scan can stop as soon as enough documents are found.
  const enough = isSorted || limit === 0 ? Infinity : skip + limit;
  const selected: Document[] = [];
  for (const document of store.candidates(filter)) {
    if (selected.length >= enough) break;
    if (matches(document)) selected.push(document);
  }
  return sortDocuments(selected, sort).slice(skip, limit === 0 ? undefined : skip + limit);
}
