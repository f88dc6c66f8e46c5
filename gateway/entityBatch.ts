import type { GraphQLFormattedError } from 'graphql';

/**
 * An `_entities` fetch with each distinct representation sent once. The query planner asks for one
 * representation per occurrence: a district's 100 actions name their organisers 200 times, though there
 * are three landlords, and the subgraph would resolve and answer all 200. Representations are compared
 * by their JSON, so only identical keys (and identical `@requires` fields) are merged.
 */
export class EntityBatch {
  /** For each representation the planner sent, the index of its distinct representation. */
  private readonly positions: number[];
  readonly distinct: unknown[];

  constructor(representations: readonly unknown[]) {
    const indexByKey = new Map<string, number>();
    this.distinct = [];
    this.positions = representations.map((representation) => {
      const key = representationKey(representation);
      let index = indexByKey.get(key);
      if (index === undefined) {
        index = this.distinct.push(representation) - 1;
        indexByKey.set(key, index);
      }
      return index;
    });
  }

  get hasDuplicates(): boolean {
    return this.distinct.length < this.positions.length;
  }

  /**
   * The subgraph's `_entities` answer (for the distinct representations) spread back over the planner's,
   * in its order. A repeated entity is a copy: the gateway merges later fetches into each entity it holds.
   */
  expandEntities(entities: readonly unknown[]): unknown[] {
    const used = new Set<number>();
    return this.positions.map((index) => {
      const entity = entities[index];
      if (!used.has(index)) {
        used.add(index);
        return entity;
      }
      return copyOfJson(entity);
    });
  }

  /** Errors under `_entities.<distinct index>` are repeated for every occurrence of that representation. */
  expandErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
    return errors.flatMap((error) => {
      const [root, index, ...rest] = error.path ?? [];
      if (root !== '_entities' || typeof index !== 'number') return [error];
      return this.positions.flatMap((position, original) => (position === index ? [{ ...error, path: [root, original, ...rest] }] : []));
    });
  }
}

/** What a subgraph answers an `_entities` fetch with, as far as joining answers goes. */
export interface EntityAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** `representations` cut into consecutive slices of at most `size`. */
export function slicesOf<T>(representations: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < representations.length; start += size) slices.push(representations.slice(start, start + size));
  return slices;
}

/**
 * The answers to consecutive slices of one `_entities` fetch (see slicesOf), as the answer to the whole: the
 * entities in order, each error on an entity moved to that entity's place. A slice answered without entities
 * counts as nulls, so that every later entity keeps its place.
 */
export function joinEntityAnswers(answers: readonly EntityAnswer[], sliceSizes: readonly number[]): EntityAnswer {
  const entities: unknown[] = [];
  const errors: GraphQLFormattedError[] = [];
  answers.forEach((answer, slice) => {
    const offset = entities.length;
    const answered: unknown = answer.data?._entities;
    entities.push(...(Array.isArray(answered) ? (answered as unknown[]) : Array.from({ length: sliceSizes[slice] ?? 0 }, () => null)));
    for (const error of answer.errors ?? []) {
      const [root, index, ...rest] = error.path ?? [];
      errors.push(root === '_entities' && typeof index === 'number' ? { ...error, path: [root, offset + index, ...rest] } : error);
    }
  });
  return { data: { _entities: entities }, ...(errors.length > 0 && { errors }) };
}

/**
 * Equal for equal representations. Most are `{ __typename, id }`, keyed without serialising (a type name has no NUL
 * and cannot begin with `{`, so the two kinds of key never meet); any other shape is keyed by its JSON.
 */
function representationKey(representation: unknown): string {
  const { __typename: typename, id } = (representation ?? {}) as Record<string, unknown>;
  if (typeof typename === 'string' && typeof id === 'string' && Object.keys(representation as object).length === 2)
    return `${typename}\u0000${id}`;
  return JSON.stringify(representation);
}

/** A deep copy of a value parsed from JSON (plain objects, arrays and scalars). */
function copyOfJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyOfJson);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = copyOfJson(field);
  return copy;
}
