import type { Caller } from '../../lib/auth/caller';
import { type SharedDistrict, moveThrough, openServiceRequest, registerSharedDistrict } from '../support/tenancyFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';
import { reconcileRequestCells } from '../../subgraphs/tenancy/data/requestCellsReconciliation';

/**
 * The finding this guards against: `Building.requestStats(since:)` on another landlord's building, with `since` at
 * the start of a quiet month, gave that month's one request away (its category, status, 48-hour flag and, as the
 * median of one, its exact resolution time); two windows a month apart gave the same by difference, and the district's
 * figures minus the caller's own buildings gave the other landlords' small groups.
 *
 * The owner's building: 12 requests a month from January to June 2025 (CLEANLINESS), then a quiet July with one
 * PESTS request, resolved. The neighbour (the attacker) has 12 requests a month of its own over the same months.
 */

const STATS =
  'disclosure total open acknowledgedWithin48hRate medianResolutionHours byCategory { category count disclosure } byMonth { month count disclosure }';
const BUSY_MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const QUIET_MONTH = { year: 2025, month: 7 };

interface Row {
  count: number | null;
  disclosure: string;
}
interface Stats {
  disclosure: string;
  total: number | null;
  open: number | null;
  acknowledgedWithin48hRate: number | null;
  medianResolutionHours: number | null;
  byCategory: (Row & { category: string })[];
  byMonth: (Row & { month: string })[];
}

describe("small cells: another landlord's quiet month gives nothing away", () => {
  let graph: TestGraph;
  let district: SharedDistrict;
  let coordinator: Caller;
  let quietResolutionHours: number;

  const statsOf = async (caller: Caller, target: 'building' | 'district', id: string, args: string): Promise<Stats> => {
    const response = await graph.request<Record<string, { requestStats: Stats }>>(
      `query ($id: ID!) { ${target}(id: $id) { requestStats${args} { ${STATS} } } }`,
      {
        caller,
        variables: { id },
      },
    );
    return dataOf(response)[target]!.requestStats;
  };
  const ownerBuilding = (caller: Caller, args: string) => statsOf(caller, 'building', district.owner.buildingId, args);
  const neighbourBuilding = (caller: Caller, args: string) => statsOf(caller, 'building', district.neighbour.buildingId, args);
  const wholeDistrict = (caller: Caller, args: string) => statsOf(caller, 'district', district.districtId, args);

  /** Requests stored as the landlord's own tools would have recorded them over the past months. */
  async function storeBusyMonths(member: SharedDistrict['owner'], perMonth: number): Promise<void> {
    const documents = BUSY_MONTHS.flatMap((month) =>
      Array.from({ length: perMonth }, (_, index) => {
        const openedAt = new Date(`${month}-${String(index + 1).padStart(2, '0')}T09:00:00Z`);
        return {
          _id: `${member.buildingId}-${month}-${index}`,
          buildingId: member.buildingId,
          dwellingId: null,
          landlordId: member.landlordId,
          districtId: district.districtId,
          category: 'CLEANLINESS',
          channel: 'PHONE',
          status: 'RESOLVED',
          openedAt,
          acknowledgedAt: new Date(openedAt.getTime() + 3_600_000),
          closedAt: new Date(openedAt.getTime() + (20 + index) * 3_600_000),
          description: null,
          clientMutationId: null,
          version: 3,
          audit: { createdAt: openedAt, createdBy: 'import', updatedAt: openedAt, updatedBy: 'import' },
        };
      }),
    );
    await graph.db.collection('serviceRequests').insertMany(documents as never[]);
    // Written past the subgraph: counted in the statistics cells as the subgraph's start would count them.
    await reconcileRequestCells(graph.db);
  }

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerSharedDistrict(graph, 'Reynerie');
    coordinator = { role: 'COORDINATOR', sub: 'coordinator-reynerie', districtIds: [district.districtId] };
    await storeBusyMonths(district.owner, 12);
    await storeBusyMonths(district.neighbour, 12);
    const quiet = dataOf(
      await openServiceRequest(graph, district.owner.staff, {
        buildingId: district.owner.buildingId,
        category: 'PESTS',
        openedAt: '2025-07-03T08:00:00Z',
      }),
    ).openServiceRequest;
    const resolved = await moveThrough(graph, district.owner.staff, quiet, ['ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED']);
    quietResolutionHours = (Date.parse(resolved.closedAt!) - Date.parse(resolved.openedAt)) / 3_600_000;
  });

  afterAll(async () => {
    await graph.close();
  });

  /** Nothing in a shared answer may carry the quiet request: a count of one PESTS, or its resolution time. */
  function expectNothingOfTheQuietRequest(stats: Stats): void {
    expect(stats.byCategory.find((row) => row.category === 'PESTS')?.count ?? null).toBeNull();
    if (stats.medianResolutionHours !== null) expect(stats.medianResolutionHours).not.toBeCloseTo(quietResolutionHours, 3);
    expect(stats.byMonth.find((row) => row.month === '2025-07')?.count ?? null).toBeNull();
  }

  it("withholds the quiet month of another landlord's building: no count, status, rate or median of it", async () => {
    for (const caller of [district.neighbour.staff, coordinator]) {
      const quiet = await ownerBuilding(caller, `(period: { year: 2025, month: ${QUIET_MONTH.month} })`);
      expect(quiet).toMatchObject({
        disclosure: 'WITHHELD_SMALL_CELL',
        total: null,
        open: null,
        acknowledgedWithin48hRate: null,
        medianResolutionHours: null,
      });
      expect(quiet.byCategory.every((row) => row.count === null && row.disclosure.startsWith('WITHHELD'))).toBe(true);
      expect(quiet.byMonth).toEqual([{ month: '2025-07', count: null, disclosure: 'WITHHELD_SMALL_CELL' }]);
    }
  });

  it('gives the old since trick nothing: windows snap to the start of their year, so two a month apart are one cell', async () => {
    for (const caller of [district.neighbour.staff, coordinator]) {
      const fromJuly = await ownerBuilding(caller, '(since: "2025-07-01T00:00:00Z")');
      const fromAugust = await ownerBuilding(caller, '(since: "2025-08-01T00:00:00Z")');
      expect(fromAugust).toEqual(fromJuly);
      expectNothingOfTheQuietRequest(fromJuly);
      // The same window over a whole year: its visible months must not add up to all but the quiet one.
      const visibleMonths = fromJuly.byMonth.reduce((sum, row) => sum + (row.count ?? 0), 0);
      if (fromJuly.total !== null) expect(fromJuly.total - visibleMonths === 0 || fromJuly.total - visibleMonths >= 11).toBe(true);
    }
  });

  it('gives the district-minus-own-buildings trick nothing, in the quiet month or over the year', async () => {
    const attacker = district.neighbour.staff;
    for (const args of [
      `(period: { year: 2025, month: ${QUIET_MONTH.month} })`,
      '(period: { year: 2025 })',
      '(period: { year: 2025, quarter: 3 })',
      '',
    ]) {
      const whole = await wholeDistrict(attacker, args);
      const own = await neighbourBuilding(attacker, args);
      expect(own.disclosure).toBe('EXACT');
      expectNothingOfTheQuietRequest(whole);
      if (whole.total !== null) expect(whole.total - own.total!).toBeGreaterThanOrEqual(11);
      for (const row of whole.byCategory) {
        const ownRow = own.byCategory.find((candidate) => candidate.category === row.category)?.count ?? 0;
        if (row.count !== null) expect(row.count - ownRow).toBeGreaterThanOrEqual(11);
      }
    }
  });

  it("gives the district's year minus its visible quarters nothing small", async () => {
    for (const caller of [district.neighbour.staff, coordinator]) {
      const year = await wholeDistrict(caller, '(period: { year: 2025 })');
      if (year.total === null) continue;
      const quarterArgs = [1, 2, 3, 4].map((quarter) => `(period: { year: 2025, quarter: ${quarter} })`);
      const quarters = await Promise.all(quarterArgs.map((args) => wholeDistrict(caller, args)));
      // The caller's own requests inside a withheld quarter are no secret to it: only the others' count.
      const ownQuarters =
        caller === coordinator
          ? quarters.map(() => 0)
          : await Promise.all(quarterArgs.map(async (args) => (await neighbourBuilding(caller, args)).total!));
      const hiddenOfOthers = quarters.reduce(
        (sum, quarter, index) => sum + (quarter.total === null ? -ownQuarters[index]! : 0),
        year.total - quarters.reduce((sum, quarter) => sum + (quarter.total ?? 0), 0),
      );
      const allShown = quarters.every((quarter) => quarter.total !== null);
      expect(allShown || hiddenOfOthers >= 11).toBe(true);
    }
  });

  it('still gives the owner its own building exactly, and admins everything', async () => {
    const quietOfOwner = await ownerBuilding(district.owner.staff, `(period: { year: 2025, month: ${QUIET_MONTH.month} })`);
    expect(quietOfOwner).toMatchObject({
      disclosure: 'EXACT',
      total: 1,
      open: 0,
      acknowledgedWithin48hRate: 0,
      byCategory: [{ category: 'PESTS', count: 1, disclosure: 'EXACT' }],
    });
    expect(quietOfOwner.medianResolutionHours).toBeCloseTo(quietResolutionHours, 3);
    expect((await ownerBuilding(district.owner.staff, '(since: "2025-07-01T00:00:00Z")')).total).toBe(1);

    const quietOfDistrict = await wholeDistrict(TEST_ADMIN, `(period: { year: 2025, month: ${QUIET_MONTH.month} })`);
    expect(quietOfDistrict).toMatchObject({
      disclosure: 'EXACT',
      total: 1,
      byCategory: [{ category: 'PESTS', count: 1, disclosure: 'EXACT' }],
    });
    expect((await wholeDistrict(TEST_ADMIN, '')).total).toBe(12 * 6 * 2 + 1);
    // The owner reads the district as everyone else does: another landlord's requests are in it.
    expect((await wholeDistrict(district.owner.staff, `(period: { year: 2025, month: ${QUIET_MONTH.month} })`)).disclosure).toBe(
      'WITHHELD_SMALL_CELL',
    );
  });

  it('shares what rests on enough of the other landlords: a busy month of the district', async () => {
    const busy = await wholeDistrict(coordinator, '(period: { year: 2025, month: 3 })');
    expect(busy).toMatchObject({ disclosure: 'PUBLISHED', total: 24, open: 0, acknowledgedWithin48hRate: 1 });
    expect(busy.medianResolutionHours).toBeGreaterThan(20);
  });

  it('refuses a period that names no cell, and period with since: BAD_USER_INPUT', async () => {
    for (const args of [
      '(period: { year: 2025, quarter: 5 })',
      '(period: { year: 2025, month: 13 })',
      '(period: { year: 2025, quarter: 1, month: 2 })',
      '(period: { year: 2025 }, since: "2025-01-01T00:00:00Z")',
    ]) {
      const response = await graph.request(`query ($id: ID!) { district(id: $id) { requestStats${args} { total } } }`, {
        caller: coordinator,
        variables: { id: district.districtId },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
