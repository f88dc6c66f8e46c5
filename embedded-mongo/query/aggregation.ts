import type { Document } from 'bson';
import { cloneDeep } from 'mingo/util';
import type { CollectionResolver } from 'mingo/types/types';
import type { Evaluation } from '../evaluation';
import { compileGroup, NotNative } from './nativeGroup';
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
  evaluation?: Evaluation;
}

type Stage = (documents: readonly Document[]) => Document[];

/**
 * Runs `pipeline` over `documents`, which may be stored documents: the server never lets a stage modify
 * them. `$facet` and the `$group` shapes of nativeGroup.ts run natively; the stretches of stages between
 * them run in mingo, on copies when a stage of the stretch may modify its input. Every facet gets the
 * same input, in the same order, whatever its siblings do.
 */
export function runAggregation(documents: readonly Document[], pipeline: readonly Document[], options: AggregationOptions): Document[] {
  if (options.evaluation === 'mingo') return runPipeline(documents.map(copyDocument), [...pipeline], options);
  let current: readonly Document[] = documents;
  let stretch: Document[] = [];
  const runStretch = () => {
    if (stretch.length > 0) current = runInMingo(current, stretch, options);
    stretch = [];
  };
  for (const stage of pipeline) {
    const native = nativeStage(stage, options);
    if (native === undefined) {
      stretch.push(stage);
      continue;
    }
    runStretch();
    current = native(current);
  }
  runStretch();
  return [...current];
}

function nativeStage(stage: Document, options: AggregationOptions): Stage | undefined {
  if ('$facet' in stage) {
    const facets = Object.entries(stage.$facet as Record<string, Document[]>);
    return (documents) => [Object.fromEntries(facets.map(([name, facetPipeline]) => [name, runAggregation(documents, facetPipeline, options)]))];
  }
  if ('$group' in stage) {
    const group = compileGroup(stage.$group);
    if (group === undefined) return undefined;
    return (documents) => {
      try {
        return group(documents);
      } catch (error) {
        if (error instanceof NotNative) return runInMingo(documents, [stage], options);
        throw error;
      }
    };
  }
  return undefined;
}

function runInMingo(documents: readonly Document[], stretch: Document[], options: AggregationOptions): Document[] {
  const mutates = stretch.some((stage) => !NON_MUTATING_STAGES.has(Object.keys(stage)[0] as string));
  return runPipeline(mutates ? documents.map(copyDocument) : [...documents], stretch, options);
}

export function copyDocument(document: Document): Document {
  return cloneDeep(document) as Document;
}
