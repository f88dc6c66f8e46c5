import type { Document } from 'bson';
import { cloneDeep, isObject, setValue } from 'mingo/util';
import type { CollectionResolver } from 'mingo/types';
import { CommandError, notSupported } from '../errors';
import type { Evaluation } from '../evaluation';
import { assertSupportedAccumulator, assertSupportedExpression, compileAccumulator, compileExpression, MINGO_STAGES } from './expressions';
import { assertComparable } from './bsonOrder';
import { reachPath } from './filterMatcher';
import { compileGroup, NotNative } from './nativeGroup';
import { valueKey } from '../storage/valueKey';
import { compileFilter, compileProjectionStage, parseSort, runPipeline, sortDocuments } from './queryEngine';

/**
 * Stages that build new documents and never change those they read. A run of them can read stored
 * documents as they are; copying every input (mingo's own `$facet` copies its input once per facet)
 * used to cost more than the aggregation itself.
 */
const NON_MUTATING_STAGES = new Set(['$count', '$limit', '$skip']);

/** Every stage the server answers as mongod does: mingo's (expressions.ts) and those run here. */
export const SUPPORTED_STAGES: ReadonlySet<string> = new Set([
  ...MINGO_STAGES,
  '$match',
  '$sort',
  '$project',
  '$addFields',
  '$set',
  '$group',
  '$sortByCount',
  '$facet',
  '$lookup',
]);

export interface AggregationOptions {
  collectionResolver: CollectionResolver;
  /** The command's evaluated `let` values. */
  variables?: Document;
  evaluation?: Evaluation;
}

type Stage = (documents: readonly Document[]) => Document[];

/**
 * Runs `pipeline` over `documents`, which may be stored documents: the server never lets a stage modify
 * them. `$match`, `$sort`, `$project`, `$addFields`/`$set`, `$group`, `$facet` and `$lookup` run here
 * (`$group` natively for the shapes of nativeGroup.ts); the
 * stretches of stages between them run in mingo, on copies when a stage of the stretch may modify its
 * input. Every facet gets the same input, in the same order, whatever its siblings do.
 */
export function runAggregation(documents: readonly Document[], pipeline: readonly Document[], options: AggregationOptions): Document[] {
  let current: readonly Document[] = documents;
  let stretch: Document[] = [];
  const runStretch = () => {
    if (stretch.length > 0) current = runInMingo(current, stretch, options);
    stretch = [];
  };
  for (const stage of pipeline.flatMap(expandStage)) {
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

/** `$sortByCount` is, by definition (manual, "$sortByCount"), a `$group` counting then a `$sort` by count. */
function expandStage(stage: Document): Document[] {
  if (!('$sortByCount' in stage)) return [stage];
  return [{ $group: { _id: stage.$sortByCount, count: { $sum: 1 } } }, { $sort: { count: -1 } }];
}

function nativeStage(stage: Document, options: AggregationOptions): Stage | undefined {
  if ('$match' in stage) {
    const matches = compileFilter(stage.$match as Document, options.variables, options.evaluation);
    return (documents) => documents.filter(matches);
  }
  if ('$sort' in stage) return (documents) => sortDocuments([...documents], stage.$sort as Document);
  if ('$project' in stage) {
    const project = compileProjectionStage(stage.$project as Document, options.variables);
    return (documents) => documents.map(project);
  }
  if ('$addFields' in stage || '$set' in stage) return addFieldsStage((stage.$addFields ?? stage.$set) as Document, options);
  if ('$lookup' in stage) return lookupStage(stage.$lookup as Document, options);
  if ('$facet' in stage) {
    const facets = Object.entries(stage.$facet as Record<string, Document[]>);
    return (documents) => [
      Object.fromEntries(facets.map(([name, facetPipeline]) => [name, runAggregation(documents, facetPipeline, options)])),
    ];
  }
  if ('$group' in stage) {
    const reference = groupStage(stage.$group as Document, options);
    const group = options.evaluation === 'mingo' ? undefined : compileGroup(stage.$group);
    if (group === undefined) return reference;
    return (documents) => {
      try {
        return group(documents);
      } catch (error) {
        if (error instanceof NotNative) return reference(documents);
        throw error;
      }
    };
  }
  return undefined;
}

/**
 * `$addFields`/`$set` (manual, "$addFields"): every expression is evaluated on the input document; a
 * dotted path or a nested document of fields adds into embedded documents (and into each document of
 * an array on the way), creating them where missing; a missing value removes the field.
 */
function addFieldsStage(specification: Document, options: AggregationOptions): Stage {
  const assignments: Array<[string[], (document: Document) => unknown]> = [];
  const collect = (prefix: string[], fields: Document) => {
    for (const [path, expression] of Object.entries(fields)) {
      const segments = [...prefix, ...path.split('.')];
      if (isObject(expression) && !Object.keys(expression).some((key) => key.startsWith('$'))) {
        if (Object.keys(expression).length === 0) throw notSupported(`setting '${segments.join('.')}' to an empty document specification`);
        collect(segments, expression);
      } else {
        assignments.push([segments, compileExpression(expression, options.variables)]);
      }
    }
  };
  collect([], specification);
  return (documents) =>
    documents.map((document) => {
      const values = assignments.map(([, evaluate]) => evaluate(document));
      const output = copyDocument(document);
      assignments.forEach(([segments], i) => assignPath(output, segments, values[i]));
      return output;
    });
}

function assignPath(target: Document, segments: string[], value: unknown): void {
  const [field, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) {
    // A document is a plain object whose keys are its field names: removing one is how $set/$addFields unset it.
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
    if (value === undefined) delete target[field];
    else target[field] = value;
    return;
  }
  const current: unknown = target[field];
  if (Array.isArray(current)) {
    for (const element of current) {
      if (!isObject(element)) throw notSupported(`setting '${segments.join('.')}' through an array holding values other than documents`);
      assignPath(element, rest, value);
    }
    return;
  }
  if (!isObject(current)) target[field] = {};
  assignPath(target[field] as Document, rest, value);
}

/**
 * `$group` (manual, "$group"): documents whose `_id` expression gives equal values (a missing value
 * counting as null) form one group, in the order the groups are first met. nativeGroup.ts computes the
 * common shapes faster, and is checked against this.
 */
export function groupStage(specification: Document, options: Pick<AggregationOptions, 'variables'>): Stage {
  const { _id: idExpression, ...fields } = specification;
  const groupId = compileExpression(idExpression, options.variables);
  const accumulators = Object.entries(fields).map(([name, accumulator]) => {
    const [[operator, argument]] = Object.entries(accumulator as Document) as [[string, unknown]];
    return [name, compileAccumulator(operator, argument, options.variables)] as const;
  });
  return (documents) => {
    const groups = new Map<string, { id: unknown; members: Document[] }>();
    for (const document of documents) {
      const id = withoutMissingFields(groupId(document)) ?? null;
      // Keys group values MongoDB finds equal; a value it cannot compare here is refused, not grouped apart.
      assertComparable(id);
      const key = valueKey(id);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { id, members: [document] });
      else group.members.push(document);
    }
    return [...groups.values()].map(({ id, members }) => {
      const output: Document = { _id: id };
      for (const [name, accumulate] of accumulators) output[name] = accumulate(members);
      return output;
    });
  };
}

/** An expression object leaves out the fields whose expression gives a missing value (`{ a: '$missing' }` is `{}`). */
function withoutMissingFields(value: unknown): unknown {
  if (!hasMissingField(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Document).flatMap(([name, field]) => (field === undefined ? [] : [[name, withoutMissingFields(field)]])),
  );
}

/** Checked first, as most group keys have every field: building a copy of each would cost more than the grouping. */
function hasMissingField(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  for (const field in value as Document) {
    const fieldValue: unknown = (value as Document)[field];
    if (fieldValue === undefined || hasMissingField(fieldValue)) return true;
  }
  return false;
}

/**
 * `$lookup` by equality (manual, "$lookup", equality match): the foreign documents whose `foreignField`
 * matches `{ $in: <values of localField> }`, so a missing or null local value joins the foreign documents
 * where the field is null or missing, and an array joins on each of its elements.
 */
function lookupStage(specification: Document, options: AggregationOptions): Stage {
  const { from, localField, foreignField, as } = specification;
  return (documents) => {
    const foreign = options.collectionResolver(from as string);
    return documents.map((document) => {
      const localValues = reachPath(document, localField as string).values.flatMap((value) => (Array.isArray(value) ? value : [value]));
      const joins = compileFilter({ [foreignField as string]: { $in: localValues.length === 0 ? [null] : localValues } });
      const joined = copyDocument(document);
      setValue(joined, as as string, foreign.filter(joins));
      return joined;
    });
  };
}

function runInMingo(documents: readonly Document[], stretch: Document[], options: AggregationOptions): Document[] {
  const mutates = options.evaluation === 'mingo' || stretch.some((stage) => !NON_MUTATING_STAGES.has(Object.keys(stage)[0] as string));
  return runPipeline(mutates ? documents.map(copyDocument) : [...documents], stretch, options);
}

export function copyDocument(document: Document): Document {
  return cloneDeep(document);
}

/**
 * Checks every stage of a pipeline against the allow-list, with its expressions, accumulators and
 * nested pipelines, before anything runs. `allowed` narrows the stages (pipeline-style updates).
 */
export function assertSupportedPipeline(pipeline: Document[], allowed: ReadonlySet<string> = SUPPORTED_STAGES, insideFacet = false): void {
  for (const stage of pipeline) {
    const names = Object.keys(stage);
    if (names.length !== 1)
      throw new CommandError('FailedToParse', 'A pipeline stage specification object must contain exactly one field.');
    const name = names[0] as string;
    if (!allowed.has(name)) throw notSupported(`the ${name} aggregation stage${allowed === SUPPORTED_STAGES ? '' : ' here'}`);
    const argument: unknown = stage[name];
    switch (name) {
      case '$facet':
        if (insideFacet) throw notSupported('$facet inside $facet');
        if (!isObject(argument) || Object.keys(argument).length === 0)
          throw new CommandError('FailedToParse', '$facet needs at least one facet');
        for (const facet of Object.values(argument)) assertSupportedPipeline(asPipeline(facet), allowed, true);
        break;
      case '$match':
        if (!isObject(argument)) throw new CommandError('FailedToParse', 'the match filter must be an expression in an object');
        compileFilter(argument);
        break;
      case '$sort':
        if (!isObject(argument) || Object.keys(argument).length === 0)
          throw new CommandError('FailedToParse', '$sort stage must have at least one sort key');
        parseSort(argument);
        break;
      case '$lookup':
        assertEqualityLookup(argument);
        break;
      case '$group': {
        if (!isObject(argument) || !('_id' in argument))
          throw new CommandError('FailedToParse', 'a group specification must include an _id');
        const { _id: id, ...accumulators } = argument;
        assertSupportedExpression(id);
        for (const [field, accumulator] of Object.entries(accumulators)) {
          const entries = isObject(accumulator) ? Object.entries(accumulator) : [];
          if (entries.length !== 1) throw new CommandError('FailedToParse', `The field '${field}' must be an accumulator object`);
          const [[operator, operand]] = entries as [[string, unknown]];
          assertSupportedAccumulator(operator, operand);
        }
        break;
      }
      case '$unwind':
        if (isObject(argument)) {
          const unknown = Object.keys(argument).find(
            (option) => !['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays'].includes(option),
          );
          if (unknown !== undefined) throw new CommandError('FailedToParse', `unrecognized option to $unwind stage: ${unknown}`);
        } else if (typeof argument !== 'string') {
          throw new CommandError('FailedToParse', 'expected either a string or an object as specification for $unwind stage');
        }
        break;
      default:
        assertSupportedExpression(argument);
    }
  }
}

function assertEqualityLookup(argument: unknown): void {
  if (!isObject(argument)) throw new CommandError('FailedToParse', 'the $lookup specification must be an object');
  const specification = argument;
  const unknown = Object.keys(specification).find((option) => !['from', 'localField', 'foreignField', 'as'].includes(option));
  if (unknown !== undefined) throw notSupported(`$lookup with '${unknown}'`);
  for (const field of ['from', 'localField', 'foreignField', 'as']) {
    if (typeof specification[field] !== 'string') throw new CommandError('FailedToParse', `$lookup needs '${field}' as a string`);
  }
}

function asPipeline(value: unknown): Document[] {
  if (!Array.isArray(value) || !value.every(isObject)) throw new CommandError('TypeMismatch', 'a sub-pipeline must be an array of stages');
  return value;
}
