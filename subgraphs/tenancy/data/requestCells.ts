import DataLoader from 'dataloader';
import type { Collection, Document } from 'mongodb';
import type { RequestCategory } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import { ACKNOWLEDGEMENT_COMMITMENT_MS, HOUR_MS } from './requestStats';
import { CLOSED_STATUSES } from '../requestStatus';

/**
 * The base cell of request statistics: the requests of one landlord in one building, opened in one UTC calendar
 * month, of one category. Every shared figure (a building or district, over a month, quarter, year or all time, of
 * one category or all) is a sum of base cells, so they are computed once and everything else is added up from them.
 */
export interface BaseCell {
  buildingId: string;
  /** The landlord the requests belong to (copied onto each request from its building). */
  landlordId: string;
  /** 'YYYY-MM', UTC. */
  month: string;
  category: RequestCategory;
  count: number;
  /** Neither RESOLVED nor REJECTED. */
  open: number;
  /** Acknowledged, or opened at least 48 hours before the aggregate ran: their 48-hour outcome is known. */
  acknowledgementsDue: number;
  /** Acknowledged at most 48 hours after opening. */
  acknowledgedInTime: number;
  /** Hours from opening to closing of each RESOLVED request (a rejection is no resolution), unsorted. */
  resolutionHours: number[];
}

interface BaseCellRow {
  _id: { districtId: string; buildingId: string; landlordId: string; month: string; category: RequestCategory };
  count: number;
  open: number;
  acknowledgementsDue: number;
  acknowledgedInTime: number;
  resolutionHours: (number | null)[];
}

/** ONE aggregate for the base cells of every district asked: a `$group` by district, building, landlord, month and category. */
export function requestCellsPipeline(districtIds: readonly string[], now: Date): Document[] {
  const acknowledged = { $ne: ['$acknowledgedAt', null] };
  const commitmentOver = { $lte: ['$openedAt', new Date(now.getTime() - ACKNOWLEDGEMENT_COMMITMENT_MS)] };
  const acknowledgedInTime = {
    $and: [acknowledged, { $lte: [{ $subtract: ['$acknowledgedAt', '$openedAt'] }, ACKNOWLEDGEMENT_COMMITMENT_MS] }],
  };
  const countIf = (condition: Document) => ({ $sum: { $cond: [condition, 1, 0] } });
  return [
    { $match: { districtId: { $in: [...districtIds] } } },
    {
      $group: {
        _id: {
          districtId: '$districtId',
          buildingId: '$buildingId',
          landlordId: '$landlordId',
          month: { $dateToString: { format: '%Y-%m', date: '$openedAt' } },
          category: '$category',
        },
        count: { $sum: 1 },
        open: countIf({ $not: [{ $in: ['$status', [...CLOSED_STATUSES]] }] }),
        acknowledgementsDue: countIf({ $or: [acknowledged, commitmentOver] }),
        acknowledgedInTime: countIf(acknowledgedInTime),
        resolutionHours: {
          $push: { $cond: [{ $eq: ['$status', 'RESOLVED'] }, { $divide: [{ $subtract: ['$closedAt', '$openedAt'] }, HOUR_MS] }, null] },
        },
      },
    },
  ];
}

/** The base cells of each district asked, in one aggregate per batch. */
export function requestCellsLoader(collection: Collection<ServiceRequestDocument>): DataLoader<string, BaseCell[]> {
  return new DataLoader(async (districtIds) => {
    const rows = await collection.aggregate<BaseCellRow>(requestCellsPipeline(districtIds, new Date())).toArray();
    const byDistrict = new Map<string, BaseCell[]>(districtIds.map((id) => [id, []]));
    for (const { _id, resolutionHours, ...measures } of rows) {
      byDistrict.get(_id.districtId)?.push({
        buildingId: _id.buildingId,
        landlordId: _id.landlordId,
        month: _id.month,
        category: _id.category,
        ...measures,
        resolutionHours: resolutionHours.filter((hours): hours is number => hours !== null),
      });
    }
    return districtIds.map((id) => byDistrict.get(id) ?? []);
  });
}
