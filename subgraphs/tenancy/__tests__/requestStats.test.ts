import { Aggregator } from 'mingo';
import type { Collection, Document } from 'mongodb';
import { requestStatsLoader } from '../data/requestStats';
import type { RequestCategory, RequestStatus } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';

/**
 * The stats definitions, run by the same evaluator as the embedded MongoDB (mingo) on crafted requests:
 * the pipeline is the definition, so it is what these tests exercise.
 */

const HOUR = 3_600_000;
const now = Date.now();
const hoursAgo = (hours: number) => new Date(now - hours * HOUR);

interface Crafted {
  buildingId?: string;
  districtId?: string;
  category?: RequestCategory;
  status?: RequestStatus;
  openedAt: Date;
  /** Hours from opening to acknowledgement; unacknowledged when absent. */
  acknowledgedAfter?: number;
  /** Hours from opening to closing; open when absent. */
  closedAfter?: number;
}

let sequence = 0;
function request({
  buildingId = 'b1',
  districtId = 'd1',
  category = 'OTHER',
  status,
  openedAt,
  acknowledgedAfter,
  closedAfter,
}: Crafted): ServiceRequestDocument {
  const after = (hours: number | undefined) => (hours === undefined ? null : new Date(openedAt.getTime() + hours * HOUR));
  sequence += 1;
  return {
    _id: `r${sequence}`,
    buildingId,
    dwellingId: null,
    landlordId: 'l1',
    districtId,
    category,
    channel: 'PHONE',
    status: status ?? (closedAfter !== undefined ? 'RESOLVED' : acknowledgedAfter !== undefined ? 'ACKNOWLEDGED' : 'OPEN'),
    openedAt,
    acknowledgedAt: after(acknowledgedAfter),
    closedAt: after(closedAfter),
    description: null,
    clientMutationId: null,
    version: 1,
    audit: { createdAt: openedAt, createdBy: 'test', updatedAt: openedAt, updatedBy: 'test' },
  };
}

/** A collection whose `aggregate` runs the pipeline in memory, recording each command. */
function collectionOf(requests: ServiceRequestDocument[]) {
  const pipelines: Document[][] = [];
  const collection = {
    aggregate: (pipeline: Document[]) => {
      pipelines.push(pipeline);
      return { toArray: async () => new Aggregator(pipeline, { idKey: '_id', useStrictMode: true }).run(requests) };
    },
  };
  return { collection: collection as unknown as Collection<ServiceRequestDocument>, pipelines };
}

describe('request stats', () => {
  it('counts total, open and the breakdowns, per building, in ONE aggregate for all buildings asked', async () => {
    const { collection, pipelines } = collectionOf([
      request({ category: 'LIFT', openedAt: new Date('2026-01-31T23:30:00Z'), acknowledgedAfter: 1 }),
      // 00:30 in Paris on 1 February is still January in UTC.
      request({ category: 'LIFT', openedAt: new Date('2026-02-01T00:30:00+01:00'), acknowledgedAfter: 1, closedAfter: 2 }),
      request({ category: 'PESTS', openedAt: new Date('2026-02-01T00:30:00Z'), acknowledgedAfter: 1, closedAfter: 1, status: 'REJECTED' }),
      request({ buildingId: 'b2', category: 'CHARGES', openedAt: new Date('2026-02-02T10:00:00Z'), acknowledgedAfter: 1 }),
    ]);
    const loader = requestStatsLoader(collection, 'buildingId', null);
    const [b1, b2, empty] = await Promise.all([loader.load('b1'), loader.load('b2'), loader.load('b-none')]);
    expect(pipelines).toHaveLength(1);
    expect(b1).toMatchObject({
      total: 3,
      open: 1,
      byCategory: [
        { category: 'LIFT', count: 2 },
        { category: 'PESTS', count: 1 },
      ],
      byMonth: [
        { month: '2026-01', count: 2 },
        { month: '2026-02', count: 1 },
      ],
    });
    expect(b2).toMatchObject({
      total: 1,
      open: 1,
      byCategory: [{ category: 'CHARGES', count: 1 }],
      byMonth: [{ month: '2026-02', count: 1 }],
    });
    expect(empty).toEqual({
      disclosure: 'EXACT',
      total: 0,
      open: 0,
      byCategory: [],
      byMonth: [],
      acknowledgedWithin48hRate: null,
      medianResolutionHours: null,
    });
  });

  it('rates acknowledgement within 48 hours over requests acknowledged or whose 48 hours are up', async () => {
    const { collection } = collectionOf([
      request({ openedAt: hoursAgo(100), acknowledgedAfter: 48 }), // in time, to the minute
      request({ openedAt: hoursAgo(100), acknowledgedAfter: 48.02 }), // late
      request({ openedAt: hoursAgo(10), acknowledgedAfter: 2 }), // in time, though young
      request({ openedAt: hoursAgo(49) }), // 48 hours up, unacknowledged: late
      request({ openedAt: hoursAgo(47) }), // may still be acknowledged in time: not counted
      request({ openedAt: hoursAgo(60), acknowledgedAfter: 1, closedAfter: 1, status: 'REJECTED' }), // a rejection is a response
    ]);
    const stats = await requestStatsLoader(collection, 'buildingId', null).load('b1');
    expect(stats.acknowledgedWithin48hRate).toBeCloseTo(3 / 5, 10);
    expect(stats.open).toBe(5);
  });

  it('has no 48-hour rate while no request is due', async () => {
    const { collection } = collectionOf([request({ openedAt: hoursAgo(1) })]);
    const stats = await requestStatsLoader(collection, 'buildingId', null).load('b1');
    expect(stats).toMatchObject({ total: 1, acknowledgedWithin48hRate: null, medianResolutionHours: null });
  });

  it('takes the median resolution time over RESOLVED requests only: the middle one, or the mean of the middle two', async () => {
    const resolved = (hours: number, buildingId = 'b1') =>
      request({ buildingId, openedAt: hoursAgo(200), acknowledgedAfter: 1, closedAfter: hours });
    const { collection } = collectionOf([
      resolved(100),
      resolved(9),
      resolved(30),
      request({ openedAt: hoursAgo(200), acknowledgedAfter: 1, closedAfter: 1, status: 'REJECTED' }),
      resolved(9, 'b2'),
      resolved(100, 'b2'),
      resolved(30, 'b2'),
      resolved(40, 'b2'),
    ]);
    const loader = requestStatsLoader(collection, 'buildingId', null);
    const [b1, b2] = await Promise.all([loader.load('b1'), loader.load('b2')]);
    expect(b1.medianResolutionHours).toBeCloseTo(30, 10);
    expect(b2.medianResolutionHours).toBeCloseTo(35, 10);
  });

  it('counts per district, and only requests opened since `since`', async () => {
    const { collection } = collectionOf([
      request({ buildingId: 'b1', openedAt: hoursAgo(300), acknowledgedAfter: 1, closedAfter: 10 }),
      request({ buildingId: 'b1', openedAt: hoursAgo(100), acknowledgedAfter: 1, closedAfter: 20 }),
      request({ buildingId: 'b2', openedAt: hoursAgo(90), acknowledgedAfter: 60 }),
      request({ buildingId: 'b3', districtId: 'd2', openedAt: hoursAgo(90) }),
    ]);
    const all = await requestStatsLoader(collection, 'districtId', null).load('d1');
    const recent = await requestStatsLoader(collection, 'districtId', hoursAgo(200)).load('d1');
    expect(all).toMatchObject({ total: 3, open: 1, medianResolutionHours: 15 });
    expect(recent).toMatchObject({ total: 2, open: 1, medianResolutionHours: 20, acknowledgedWithin48hRate: 0.5 });
  });
});
