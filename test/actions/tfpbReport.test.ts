import {
  type Cooperation,
  actionAfter,
  coOrganised,
  coordinatorOf,
  createCooperation,
  partnerStaff,
  scheduledAction,
  staffOf,
} from '../support/actionsFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';
import type { Caller } from '../../lib/auth/caller';

interface AxisLine {
  axis: string;
  actionCount: number;
  costCents: number;
  participants: number;
}

interface Report {
  year: number;
  landlord: { id: string; name: string };
  district: { id: string; name: string };
  totalCostCents: number;
  axes: AxisLine[];
}

const TFPB_REPORT = `query ($landlordId: ID!, $districtId: ID!, $year: Int!) {
  tfpbReport(landlordId: $landlordId, districtId: $districtId, year: $year) {
    year landlord { id name } district { id name } totalCostCents axes { axis actionCount costCents participants }
  }
}`;

const AXES = [
  'PROXIMITY_STAFF',
  'STAFF_TRAINING',
  'EXTRA_MAINTENANCE',
  'WASTE_AND_BULKY_ITEMS',
  'RESIDENTIAL_TRANQUILLITY',
  'TENANT_CONSULTATION',
  'SOCIAL_LIFE',
  'SMALL_WORKS',
];

describe("actions: a landlord's TFPB report", () => {
  let graph: TestGraph;
  let coop: Cooperation;

  /** An action of `landlordId`, scheduled and completed at `completedAt`, co-organised first by `joiners` with their shares. */
  async function completedAction(
    landlordId: string,
    input: Record<string, unknown>,
    completedAt: string,
    participants: number,
    joiners: [string, number][] = [],
  ): Promise<void> {
    const proposed = await actionAfter(graph, 'proposeAction', staffOf(landlordId), {
      input: { districtId: coop.mirail, title: 'Action TFPB', kind: 'OTHER', ...input },
    });
    let action = proposed;
    for (const [joiner, costShareCents] of joiners) action = await coOrganised(graph, action, joiner, costShareCents);
    const version = action.version;
    const day = completedAt.slice(0, 10);
    const scheduled = await actionAfter(graph, 'scheduleAction', staffOf(landlordId), {
      id: proposed.id,
      startsAt: `${day}T00:00:00Z`,
      endsAt: `${day}T23:00:00Z`,
      expectedVersion: version,
    });
    await actionAfter(graph, 'completeAction', staffOf(landlordId), {
      id: proposed.id,
      outcome: { participants, completedAt },
      expectedVersion: scheduled.version,
    });
  }

  const report = (caller: Caller, landlordId: string, year = 2025, districtId = coop.mirail) =>
    graph.request<{ tfpbReport: Report }>(TFPB_REPORT, { caller, variables: { landlordId, districtId, year } });

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
    const { chalets, languedocienne } = coop;
    // Counted for Groupe des Chalets in 2025: its own share of each.
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 100_00 }, '2025-06-01T18:00:00Z', 30, [[languedocienne, 40_00]]);
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 50_00 }, '2025-12-31T23:30:00Z', 12);
    await completedAction(chalets, { tfpbAxis: 'WASTE_AND_BULKY_ITEMS', costShareCents: 200_00 }, '2025-03-15T12:00:00Z', 0);
    await completedAction(languedocienne, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 70_00 }, '2025-09-20T16:00:00Z', 8, [[chalets, 10_00]]);
    // Not counted for 2025: another year, not done, cancelled, no axis, another district.
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 }, '2024-12-31T23:59:00Z', 99);
    await scheduledAction(graph, chalets, { districtId: coop.mirail, tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 });
    const cancelled = await actionAfter(graph, 'proposeAction', staffOf(chalets), {
      input: { districtId: coop.mirail, title: 'Annulée', kind: 'OTHER', tfpbAxis: 'SMALL_WORKS', costShareCents: 999_00 },
    });
    await actionAfter(graph, 'cancelAction', staffOf(chalets), { id: cancelled.id, reason: 'Annulée', expectedVersion: 1 });
    await completedAction(chalets, { costShareCents: 999_00 }, '2025-05-05T12:00:00Z', 99);
    await completedAction(chalets, { districtId: coop.bellefontaine, tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 }, '2025-05-05T12:00:00Z', 99);
  });

  afterAll(async () => {
    await graph.close();
  });

  it("sums, per axis and in the framework's order, the landlord's completed actions of the year and its own shares", async () => {
    graph.resetCommands();
    const { tfpbReport } = dataOf(await report(staffOf(coop.chalets), coop.chalets));
    expect(graph.commands.filter((event) => event.commandName === 'aggregate' && event.command.aggregate === 'actions')).toHaveLength(1);
    expect(tfpbReport).toMatchObject({
      year: 2025,
      landlord: { id: coop.chalets, name: 'Groupe des Chalets' },
      district: { id: coop.mirail, name: 'Le Mirail' },
      totalCostCents: 360_00,
    });
    expect(tfpbReport.axes.map((line) => line.axis)).toEqual(AXES);
    const line = (axis: string) => tfpbReport.axes.find((candidate) => candidate.axis === axis);
    expect(line('SOCIAL_LIFE')).toEqual({ axis: 'SOCIAL_LIFE', actionCount: 3, costCents: 160_00, participants: 50 });
    expect(line('WASTE_AND_BULKY_ITEMS')).toEqual({ axis: 'WASTE_AND_BULKY_ITEMS', actionCount: 1, costCents: 200_00, participants: 0 });
    expect(line('SMALL_WORKS')).toEqual({ axis: 'SMALL_WORKS', actionCount: 0, costCents: 0, participants: 0 });
  });

  it("counts a co-organiser's own share only", async () => {
    const { tfpbReport } = dataOf(await report(staffOf(coop.languedocienne), coop.languedocienne));
    expect(tfpbReport.totalCostCents).toBe(110_00);
    expect(tfpbReport.axes.find((line) => line.axis === 'SOCIAL_LIFE')).toEqual({
      axis: 'SOCIAL_LIFE',
      actionCount: 2,
      costCents: 110_00,
      participants: 38,
    });
  });

  it('reports another year apart, and an empty year at zero', async () => {
    const previous = dataOf(await report(TEST_ADMIN, coop.chalets, 2024)).tfpbReport;
    expect(previous.totalCostCents).toBe(999_00);
    const empty = dataOf(await report(coordinatorOf(coop.mirail), coop.chalets, 2019)).tfpbReport;
    expect(empty.totalCostCents).toBe(0);
    expect(empty.axes.every((line) => line.actionCount === 0 && line.costCents === 0 && line.participants === 0)).toBe(true);
  });

  it("is for the landlord's staff, the district's coordinators and admins only", async () => {
    expect(errorCodes(await report(staffOf(coop.languedocienne), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await report(coordinatorOf(coop.bellefontaine), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await report(partnerStaff(coop.regie), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(dataOf(await report(coordinatorOf(coop.mirail), coop.chalets)).tfpbReport.totalCostCents).toBe(360_00);
    expect(dataOf(await report(TEST_ADMIN, coop.chalets)).tfpbReport.totalCostCents).toBe(360_00);
  });

  it('refuses an unknown district or landlord, and an implausible year', async () => {
    expect(errorCodes(await report(TEST_ADMIN, coop.chalets, 2025, 'no-such-district'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await report(TEST_ADMIN, 'no-such-landlord'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await report(TEST_ADMIN, coop.chalets, 25))).toEqual(['BAD_USER_INPUT']);
  });
});
