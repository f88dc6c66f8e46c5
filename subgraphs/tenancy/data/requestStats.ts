import DataLoader from 'dataloader';
import type { Collection, Document } from 'mongodb';
import type { CategoryCount, MonthCount, RequestStats } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import { CLOSED_STATUSES } from '../requestStatus';

export const HOUR_MS = 3_600_000;
/** Quali'Hlm commitment: a first response within 48 hours. */
export const ACKNOWLEDGEMENT_COMMITMENT_MS = 48 * HOUR_MS;

/** The field of a request naming the parent its stats are counted for. */
export type StatsParentField = 'buildingId' | 'districtId';

interface StatsFacets {
  summary: { _id: string; total: number; open: number; acknowledgedWithin48hRate?: number | null; medianResolutionHours?: number | null }[];
  byCategory?: { _id: { parentId: string; category: CategoryCount['category'] }; count: number }[];
  byMonth?: { _id: { parentId: string; month: string }; count: number }[];
}

/** The optional parts of RequestStats (total and open always come): a query that selects none of them gets a small aggregate. */
export interface StatsParts {
  acknowledgement: boolean;
  median: boolean;
  byCategory: boolean;
  byMonth: boolean;
}

export const ALL_STATS_PARTS: StatsParts = { acknowledgement: true, median: true, byCategory: true, byMonth: true };

/** The parts a query needs, from the RequestStats fields it selects. */
export function statsPartsFor(selectedFields: ReadonlySet<string>): StatsParts {
  return {
    acknowledgement: selectedFields.has('acknowledgedWithin48hRate'),
    median: selectedFields.has('medianResolutionHours'),
    byCategory: selectedFields.has('byCategory'),
    byMonth: selectedFields.has('byMonth'),
  };
}

/**
 * The request stats of many parents (buildings or districts) in ONE aggregate: a `$facet` holding the
 * per-parent summary and the breakdowns asked for (`parts`; parts not asked for come back empty). Over the
 * requests opened since `since` (all when null):
 * - open: neither RESOLVED nor REJECTED;
 * - byMonth: by the UTC calendar month (YYYY-MM) of openedAt, oldest first;
 * - acknowledgedWithin48hRate: among the requests already acknowledged or whose 48 hours are up (opened at
 *   least 48 h before `now`), the share acknowledged at most 48 h after opening. A younger unacknowledged
 *   request may still go either way, so it counts neither way; null when no request qualifies;
 * - medianResolutionHours: the median of closedAt − openedAt, in hours, over RESOLVED requests (a rejection
 *   is no resolution); the mean of the two middle values for an even count; null without any.
 */
export function requestStatsPipeline(
  field: StatsParentField,
  parentIds: readonly string[],
  since: Date | null,
  now: Date,
  parts: StatsParts = ALL_STATS_PARTS,
): Document[] {
  const acknowledged = { $ne: ['$acknowledgedAt', null] };
  const commitmentOver = { $lte: ['$openedAt', new Date(now.getTime() - ACKNOWLEDGEMENT_COMMITMENT_MS)] };
  const acknowledgedInTime = {
    $and: [acknowledged, { $lte: [{ $subtract: ['$acknowledgedAt', '$openedAt'] }, ACKNOWLEDGEMENT_COMMITMENT_MS] }],
  };
  const countIf = (condition: Document) => ({ $sum: { $cond: [condition, 1, 0] } });
  const breakdown = (key: string, value: Document | string, order: Document) => [
    { $group: { _id: { parentId: `$${field}`, [key]: value }, count: { $sum: 1 } } },
    { $sort: order },
  ];
  return [
    { $match: { [field]: { $in: [...parentIds] }, ...(since ? { openedAt: { $gte: since } } : {}) } },
    {
      $facet: {
        summary: [
          {
            $group: {
              _id: `$${field}`,
              total: { $sum: 1 },
              open: countIf({ $not: [{ $in: ['$status', [...CLOSED_STATUSES]] }] }),
              ...(parts.acknowledgement && {
                acknowledgementsDue: countIf({ $or: [acknowledged, commitmentOver] }),
                acknowledgedInTime: countIf(acknowledgedInTime),
              }),
              ...(parts.median && {
                resolutionHours: {
                  $push: {
                    $cond: [{ $eq: ['$status', 'RESOLVED'] }, { $divide: [{ $subtract: ['$closedAt', '$openedAt'] }, HOUR_MS] }, null],
                  },
                },
              }),
            },
          },
          {
            $project: {
              total: 1,
              open: 1,
              ...(parts.acknowledgement && {
                acknowledgedWithin48hRate: {
                  $cond: [{ $eq: ['$acknowledgementsDue', 0] }, null, { $divide: ['$acknowledgedInTime', '$acknowledgementsDue'] }],
                },
              }),
              ...(parts.median && {
                medianResolutionHours: medianOf({ $filter: { input: '$resolutionHours', as: 'hours', cond: { $ne: ['$$hours', null] } } }),
              }),
            },
          },
        ],
        ...(parts.byCategory && { byCategory: breakdown('category', '$category', { count: -1, '_id.category': 1 }) }),
        ...(parts.byMonth && {
          byMonth: breakdown('month', { $dateToString: { format: '%Y-%m', date: '$openedAt' } }, { '_id.month': 1 }),
        }),
      },
    },
  ];
}

/** The median of a numeric array expression, computed in the database: sort, then the middle one or two. */
function medianOf(values: Document): Document {
  const middle = (round: '$floor' | '$ceil') => ({
    $arrayElemAt: ['$$sorted', { [round]: { $divide: [{ $subtract: ['$$count', 1] }, 2] } }],
  });
  return {
    $let: {
      vars: { sorted: { $sortArray: { input: values, sortBy: 1 } } },
      in: {
        $let: {
          vars: { count: { $size: '$$sorted' } },
          in: { $cond: [{ $eq: ['$$count', 0] }, null, { $divide: [{ $add: [middle('$floor'), middle('$ceil')] }, 2] }] },
        },
      },
    },
  };
}

/**
 * Exact request stats per parent id, for one `since` instant and set of parts: every parent asked in a tick shares one
 * aggregate. Only for callers who read every request counted exactly (admins; a landlord on its own buildings):
 * everyone else reads fixed cells under the small-cells rule.
 */
export function requestStatsLoader(
  collection: Collection<ServiceRequestDocument>,
  field: StatsParentField,
  since: Date | null,
  parts: StatsParts = ALL_STATS_PARTS,
): DataLoader<string, RequestStats> {
  return new DataLoader(async (parentIds) => {
    const [facets] = await collection.aggregate<StatsFacets>(requestStatsPipeline(field, parentIds, since, new Date(), parts)).toArray();
    return statsPerParent(parentIds, facets);
  });
}

/** Shapes the facets into one (exact) RequestStats per parent, in the order asked; a parent without requests gets zeros. */
function statsPerParent(parentIds: readonly string[], facets: StatsFacets | undefined): RequestStats[] {
  const summaries = new Map((facets?.summary ?? []).map((row) => [row._id, row]));
  const categories = rowsByParent(facets?.byCategory ?? [], (row): CategoryCount => ({
    category: row._id.category,
    count: row.count,
    disclosure: 'EXACT',
  }));
  const months = rowsByParent(facets?.byMonth ?? [], (row): MonthCount => ({
    month: row._id.month,
    count: row.count,
    disclosure: 'EXACT',
  }));
  return parentIds.map((parentId) => {
    const summary = summaries.get(parentId);
    return {
      disclosure: 'EXACT',
      total: summary?.total ?? 0,
      open: summary?.open ?? 0,
      byCategory: categories.get(parentId) ?? [],
      byMonth: months.get(parentId) ?? [],
      acknowledgedWithin48hRate: summary?.acknowledgedWithin48hRate ?? null,
      medianResolutionHours: summary?.medianResolutionHours ?? null,
    };
  });
}

/** Breakdown rows grouped by parent, keeping the order the database sorted them in. */
function rowsByParent<R extends { _id: { parentId: string } }, T>(rows: readonly R[], shape: (row: R) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row._id.parentId) ?? [];
    group.push(shape(row));
    groups.set(row._id.parentId, group);
  }
  return groups;
}
