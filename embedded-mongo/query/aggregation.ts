import type { Document } from 'bson';
import { cloneDeep } from 'mingo/util';
import type { CollectionResolver } from 'mingo/types/types';
import { runPipeline } from './queryEngine';

/**
 * Stages that build new documents and never change those they read. A run of them can read stored
 * documents as they are; copying every input (mingo's own `$facet` copies its input once per facet)
 * used to cost more than the aggregation itself.
 */
const NON_MUTATING_STAGES = new Set(['$count', '$group', '$limit', '$match', '$project', '$skip', '$sort', '$sortByCount']);

export interface AggregationOptions {
  collectionResolver: CollectionResolver;
  variables?: Document;
}

/**
 * Runs `pipeline` over `documents`, which may be stored documents: the server never lets a stage modify
 * them. The pipeline is cut at each `$facet`; a stretch of stages that may modify its input gets copies,
 * and every facet gets the same input, in the same order, whatever its siblings do.
 */
export function runAggregation(documents: readonly Document[], pipeline: readonly Document[], options: AggregationOptions): Document[] {
  const facetAt = pipeline.findIndex((stage) => '$facet' in stage);
  const stretch = facetAt === -1 ? pipeline : pipeline.slice(0, facetAt);
  const input = stretch.some((stage) => !NON_MUTATING_STAGES.has(Object.keys(stage)[0] as string)) ? documents.map(copyDocument) : [...documents];
  const beforeFacet = stretch.length === 0 ? input : runPipeline(input, [...stretch], options);
  if (facetAt === -1) return beforeFacet;

  const facets = (pipeline[facetAt] as { $facet: Record<string, Document[]> }).$facet;
  const faceted: Document = {};
  for (const [name, facetPipeline] of Object.entries(facets)) faceted[name] = runAggregation(beforeFacet, facetPipeline, options);
  return runAggregation([faceted], pipeline.slice(facetAt + 1), options);
}

export function copyDocument(document: Document): Document {
  return cloneDeep(document) as Document;
}
