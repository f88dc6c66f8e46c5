import { Aggregator } from 'mingo';
import type { Collection, Document } from 'mongodb';
import { ALL_STATS_PARTS, requestStatsLoader, requestStatsPipeline, statsPartsFor } from '../data/requestStats';
import type { ServiceRequestDocument } from '../model';

const HOUR = 3_600_000;
const openedAt = new Date(Date.now() - 100 * HOUR);

function request(id: string, status: ServiceRequestDocument['status'], closedAfterHours: number | null): ServiceRequestDocument {
  const at = (hours: number | null) => (hours === null ? null : new Date(openedAt.getTime() + hours * HOUR));
  return {
    _id: id,
    buildingId: 'b1',
    dwellingId: null,
    landlordId: 'l1',
    districtId: 'd1',
    category: 'LIFT',
    channel: 'PHONE',
    status,
    openedAt,
    acknowledgedAt: at(1),
    closedAt: at(closedAfterHours),
    description: null,
    clientMutationId: null,
    version: 1,
    audit: { createdAt: openedAt, createdBy: 'test', updatedAt: openedAt, updatedBy: 'test' },
  };
}

const REQUESTS = [request('r1', 'RESOLVED', 10), request('r2', 'RESOLVED', 20), request('r3', 'OPEN', null)];

function collection(): Collection<ServiceRequestDocument> {
  const aggregate = (pipeline: Document[]) => ({
    toArray: async () => new Aggregator(pipeline, { idKey: '_id', useStrictMode: true }).run(REQUESTS),
  });
  return { aggregate } as unknown as Collection<ServiceRequestDocument>;
}

describe('request stats parts', () => {
  it('are the optional RequestStats fields a query selects', () => {
    expect(statsPartsFor(new Set(['total', 'open']))).toEqual({ acknowledgement: false, median: false, byCategory: false, byMonth: false });
    expect(statsPartsFor(new Set(['total', 'medianResolutionHours', 'byCategory']))).toEqual({
      acknowledgement: false,
      median: true,
      byCategory: true,
      byMonth: false,
    });
  });

  it('leave out of the aggregate what is not asked for', () => {
    const counts = JSON.stringify(requestStatsPipeline('buildingId', ['b1'], null, new Date(), statsPartsFor(new Set(['total', 'open']))));
    expect(counts).not.toMatch(/\$push|\$sortArray|\$dateToString|byCategory|byMonth|acknowledgementsDue/);
    const all = JSON.stringify(requestStatsPipeline('buildingId', ['b1'], null, new Date(), ALL_STATS_PARTS));
    expect(all).toMatch(/\$push[\s\S]*byCategory[\s\S]*byMonth/);
  });

  it('give the same figures for the parts asked as the whole aggregate', async () => {
    const whole = await requestStatsLoader(collection(), 'buildingId', null).load('b1');
    const counts = await requestStatsLoader(collection(), 'buildingId', null, statsPartsFor(new Set(['total', 'open']))).load('b1');
    const median = await requestStatsLoader(collection(), 'buildingId', null, statsPartsFor(new Set(['medianResolutionHours']))).load('b1');
    expect(whole).toMatchObject({ total: 3, open: 1, medianResolutionHours: 15 });
    expect(counts).toEqual({
      disclosure: 'EXACT',
      total: 3,
      open: 1,
      byCategory: [],
      byMonth: [],
      acknowledgedWithin48hRate: null,
      medianResolutionHours: null,
    });
    expect(median).toMatchObject({ total: 3, open: 1, medianResolutionHours: whole.medianResolutionHours, byCategory: [] });
  });
});
