import type { Document } from 'bson';
import { notSupported } from '../errors';
import { assertSupportedPipeline, copyDocument, runAggregation } from '../query/aggregation';
import { evaluateLet } from '../query/expressions';
import { selectDocuments } from '../query/selectDocuments';
import { assertKnownHint, optionalDocument, requiredDocument, requiredDocumentArray } from './commandArguments';
import type { CommandHandler } from './commandRegistry';
import { cursorBatchSize } from './cursorCommands';

export const aggregate: CommandHandler = {
  // `hint` only steers the index choice (checked to name an index); memory limits that `allowDiskUse` lifts do not exist here.
  fields: ['pipeline', 'cursor', 'let', 'hint', 'allowDiskUse', 'bypassDocumentValidation'],
  run(command, { catalog, cursors, databaseName }) {
    if (typeof command.aggregate !== 'string') throw notSupported('aggregate without a collection (aggregate: 1)');
    const collectionName = command.aggregate;
    const pipeline = requiredDocumentArray(command, 'pipeline');
    assertSupportedPipeline(pipeline);
    requiredDocument(command, 'cursor');
    const variables = evaluateLet(optionalDocument(command, 'let'));
    const store = catalog.collection(databaseName, collectionName);
    assertKnownHint(command.hint, store);

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
