import type { Document } from 'bson';
import { isObject } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import { copyDocument, runAggregation } from '../query/aggregation';
import { selectDocuments } from '../query/selectDocuments';
import { optionalDocument, requiredDocument, requiredDocumentArray } from './commandArguments';
import type { CommandHandler } from './commandHandler';
import { cursorBatchSize } from './cursorCommands';

/**
 * The stages mingo evaluates like mongod. Left out on purpose: `$out`/`$merge` (mingo would write
 * into a throwaway copy), and stages reading server internals (`$collStats`, `$indexStats`, ...).
 */
const SUPPORTED_STAGES = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$count', '$densify', '$facet', '$fill', '$graphLookup', '$group', '$limit', '$lookup',
  '$match', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample', '$set', '$setWindowFields', '$skip', '$sort',
  '$sortByCount', '$unionWith', '$unset', '$unwind',
]);

export const aggregate: CommandHandler = {
  // `hint` only steers the index choice; memory limits that `allowDiskUse` lifts do not exist here.
  fields: ['pipeline', 'cursor', 'let', 'hint', 'allowDiskUse', 'bypassDocumentValidation'],
  run(command, { catalog, cursors, databaseName }) {
    if (typeof command.aggregate !== 'string') throw notSupported('aggregate without a collection (aggregate: 1)');
    const collectionName = command.aggregate;
    const pipeline = requiredDocumentArray(command, 'pipeline');
    assertSupportedPipeline(pipeline);
    requiredDocument(command, 'cursor');
    const variables = optionalDocument(command, 'let');
    const store = catalog.collection(databaseName, collectionName);

    // A leading $match goes through the store, so it can use the `_id` map and indexes.
    const [firstStage, ...laterStages] = pipeline;
    const leadingMatch = firstStage?.$match as Document | undefined;
    const source = leadingMatch ? selectDocuments(store, { filter: leadingMatch, variables }) : [...(store?.documents() ?? [])];
    const results = runAggregation(source, leadingMatch ? laterStages : pipeline, {
      variables,
      evaluation: catalog.evaluation,
      // Joined documents are copied: the stages that join ($lookup, $graphLookup, $unionWith) may modify them.
      collectionResolver: (name) => [...(catalog.collection(databaseName, name)?.documents() ?? [])].map(copyDocument),
    });
    return cursors.open(`${databaseName}.${collectionName}`, results, { batchSize: cursorBatchSize(command) });
  },
};

/** Checks every stage, including those nested in `$facet`, `$lookup` and `$unionWith`. */
function assertSupportedPipeline(pipeline: Document[]): void {
  for (const stage of pipeline) {
    const names = Object.keys(stage);
    if (names.length !== 1) throw new CommandError('FailedToParse', 'A pipeline stage specification object must contain exactly one field.');
    const name = names[0] as string;
    if (!SUPPORTED_STAGES.has(name)) throw notSupported(`the ${name} aggregation stage`);
    const argument: unknown = stage[name];
    if (!isObject(argument)) continue;
    const { pipeline: nestedPipeline } = argument as Document;
    if (name === '$facet') Object.values(argument as Document).forEach((facet) => assertSupportedPipeline(asPipeline(facet)));
    if ((name === '$lookup' || name === '$unionWith') && nestedPipeline !== undefined) assertSupportedPipeline(asPipeline(nestedPipeline));
  }
}

function asPipeline(value: unknown): Document[] {
  if (!Array.isArray(value) || !value.every(isObject)) throw new CommandError('TypeMismatch', 'a sub-pipeline must be an array of stages');
  return value as Document[];
}
