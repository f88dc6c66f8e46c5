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
import { registerPartner } from '../support/partnersFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';
import type { Caller } from '../../lib/auth/caller';

/** A response's data, shaped by the query: read with optional chaining. */
type Json = any;

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
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 100_00 }, '2025-06-01T18:00:00Z', 30, [
      [languedocienne, 40_00],
    ]);
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 50_00 }, '2025-12-31T23:30:00Z', 12);
    await completedAction(chalets, { tfpbAxis: 'WASTE_AND_BULKY_ITEMS', costShareCents: 200_00 }, '2025-03-15T12:00:00Z', 0);
    await completedAction(languedocienne, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 70_00 }, '2025-09-20T16:00:00Z', 8, [
      [chalets, 10_00],
    ]);
    // Not counted for 2025: another year, not done, cancelled, no axis, another district.
    await completedAction(chalets, { tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 }, '2024-12-31T23:59:00Z', 99);
    await scheduledAction(graph, chalets, { districtId: coop.mirail, tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 });
    const cancelled = await actionAfter(graph, 'proposeAction', staffOf(chalets), {
      input: { districtId: coop.mirail, title: 'Annulée', kind: 'OTHER', tfpbAxis: 'SMALL_WORKS', costShareCents: 999_00 },
    });
    await actionAfter(graph, 'cancelAction', staffOf(chalets), { id: cancelled.id, reason: 'Annulée', expectedVersion: 1 });
    await completedAction(chalets, { costShareCents: 999_00 }, '2025-05-05T12:00:00Z', 99);
    await completedAction(
      chalets,
      { districtId: coop.bellefontaine, tfpbAxis: 'SOCIAL_LIFE', costShareCents: 999_00 },
      '2025-05-05T12:00:00Z',
      99,
    );
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

const PROGRAMME_FIELDS = `version abatementCents dwellingCount totalCostCents totalPlannedCents totalSpentCents totalCoFinancingCents
  spendingToAbatement spentPerDwellingCents coFinancingLeverage csv
  entries { id axis label plannedCents spentCents coFinancingCents coFinancers }
  axes { axis costCents plannedCents spentCents coFinancingCents }`;

const PROGRAMME_REPORT = `query ($landlordId: ID!, $districtId: ID!, $year: Int!) {
  tfpbReport(landlordId: $landlordId, districtId: $districtId, year: $year) { ${PROGRAMME_FIELDS} }
}`;

const DISTRICT_TABLE = `query ($districtId: ID!, $year: Int!) {
  tfpbDistrictTable(districtId: $districtId, year: $year) {
    year district { id } totalAbatementCents totalPlannedCents totalSpentCents totalCoFinancingCents spendingToAbatement csv
    axes { axis plannedCents spentCents coFinancingCents }
    landlords {
      landlord { id name } abatementCents dwellingCount totalPlannedCents totalSpentCents totalCoFinancingCents
      spendingToAbatement spentPerDwellingCents coFinancingLeverage axes { axis plannedCents spentCents coFinancingCents }
    }
  }
}`;

interface ProgrammeReport {
  version: number;
  abatementCents: number | null;
  dwellingCount: number;
  totalCostCents: number;
  totalPlannedCents: number;
  totalSpentCents: number;
  totalCoFinancingCents: number;
  spendingToAbatement: number | null;
  spentPerDwellingCents: number | null;
  coFinancingLeverage: number | null;
  csv: string;
  entries: {
    id: string;
    axis: string;
    label: string;
    plannedCents: number;
    spentCents: number;
    coFinancingCents: number;
    coFinancers: string | null;
  }[];
  axes: { axis: string; costCents: number; plannedCents: number; spentCents: number; coFinancingCents: number }[];
}

describe('actions: the TFPB programme against the abatement, and the district table', () => {
  let graph: TestGraph;
  let coop: Cooperation;
  const YEAR = 2026;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
    // A joint action of 2026, 300 € for Groupe des Chalets and 100 € for the Languedocienne.
    const proposed = await actionAfter(graph, 'proposeAction', staffOf(coop.chalets), {
      input: { districtId: coop.mirail, title: 'Fête des voisins', kind: 'SOCIAL_EVENT', tfpbAxis: 'SOCIAL_LIFE', costShareCents: 300_00 },
    });
    const joined = await coOrganised(graph, proposed, coop.languedocienne, 100_00);
    const scheduled = await actionAfter(graph, 'scheduleAction', staffOf(coop.chalets), {
      id: proposed.id,
      startsAt: '2026-05-29T16:00:00Z',
      endsAt: '2026-05-29T22:00:00Z',
      expectedVersion: joined.version,
    });
    await actionAfter(graph, 'completeAction', staffOf(coop.chalets), {
      id: proposed.id,
      outcome: { participants: 60, completedAt: '2026-05-29T22:00:00Z' },
      expectedVersion: scheduled.version,
    });
  });

  afterAll(async () => {
    await graph.close();
  });

  const scope = (landlordId?: string, districtId = coop.mirail) => ({ ...(landlordId && { landlordId }), districtId, year: YEAR });

  const mutate = (caller: Caller, mutation: string, variables: Record<string, unknown>) =>
    graph.request<Record<string, ProgrammeReport>>(mutation, { caller, variables });

  const SET_ABATEMENT = `mutation ($scope: TfpbScopeInput!, $abatementCents: Int!, $dwellingCount: Int, $expectedVersion: Int!) {
    setTfpbAbatement(scope: $scope, abatementCents: $abatementCents, dwellingCount: $dwellingCount, expectedVersion: $expectedVersion) { ${PROGRAMME_FIELDS} }
  }`;
  const ADD_ENTRY = `mutation ($scope: TfpbScopeInput!, $entry: TfpbEntryInput!, $expectedVersion: Int!) {
    addTfpbEntry(scope: $scope, entry: $entry, expectedVersion: $expectedVersion) { ${PROGRAMME_FIELDS} }
  }`;
  const UPDATE_ENTRY = `mutation ($scope: TfpbScopeInput!, $entryId: ID!, $entry: TfpbEntryInput!, $expectedVersion: Int!) {
    updateTfpbEntry(scope: $scope, entryId: $entryId, entry: $entry, expectedVersion: $expectedVersion) { ${PROGRAMME_FIELDS} }
  }`;
  const REMOVE_ENTRY = `mutation ($scope: TfpbScopeInput!, $entryId: ID!, $expectedVersion: Int!) {
    removeTfpbEntry(scope: $scope, entryId: $entryId, expectedVersion: $expectedVersion) { ${PROGRAMME_FIELDS} }
  }`;

  const table = (caller: Caller, districtId = coop.mirail) =>
    graph.request<{ tfpbDistrictTable: Json }>(DISTRICT_TABLE, { caller, variables: { districtId, year: YEAR } });

  it('takes the abatement and the own lines of a landlord, versioned, and reports them with the joint actions against the abatement', async () => {
    const chalets = staffOf(coop.chalets);
    const set = dataOf(
      await mutate(chalets, SET_ABATEMENT, { scope: scope(), abatementCents: 12_000_00, dwellingCount: 400, expectedVersion: 0 }),
    ).setTfpbAbatement!;
    expect(set).toMatchObject({
      version: 1,
      abatementCents: 12_000_00,
      dwellingCount: 400,
      totalSpentCents: 300_00,
      totalCostCents: 300_00,
    });

    const caretaking = { axis: 'PROXIMITY_STAFF', label: 'Renfort gardiennage été', plannedCents: 8_000_00, spentCents: 7_200_00 };
    const first = dataOf(await mutate(chalets, ADD_ENTRY, { scope: scope(), entry: caretaking, expectedVersion: 1 })).addTfpbEntry!;
    const cleaning = { axis: 'EXTRA_MAINTENANCE', label: 'Nettoyage supplémentaire des halls', plannedCents: 2_000_00, spentCents: 0 };
    const second = dataOf(await mutate(chalets, ADD_ENTRY, { scope: scope(), entry: cleaning, expectedVersion: 2 })).addTfpbEntry!;
    expect(second.entries.map((entry) => entry.label)).toEqual(['Renfort gardiennage été', 'Nettoyage supplémentaire des halls']);

    const youth = {
      axis: 'SOCIAL_LIFE',
      label: 'Chantier jeunes',
      plannedCents: 1_500_00,
      spentCents: 1_500_00,
      coFinancingCents: 750_00,
      coFinancers: 'Ville de Toulouse',
    };
    const updated = dataOf(
      await mutate(chalets, UPDATE_ENTRY, { scope: scope(), entryId: second.entries[1]!.id, entry: youth, expectedVersion: 3 }),
    ).updateTfpbEntry!;
    expect(updated.entries[1]).toEqual({ id: second.entries[1]!.id, ...youth });
    expect(first.entries[0]!.id).toBe(updated.entries[0]!.id);

    const report = dataOf(
      await graph.request<{ tfpbReport: ProgrammeReport }>(PROGRAMME_REPORT, {
        caller: chalets,
        variables: { landlordId: coop.chalets, districtId: coop.mirail, year: YEAR },
      }),
    ).tfpbReport;
    expect(report).toMatchObject({
      version: 4,
      totalCostCents: 300_00,
      totalPlannedCents: 9_500_00,
      totalSpentCents: 9_000_00,
      totalCoFinancingCents: 750_00,
      spendingToAbatement: 0.75,
      spentPerDwellingCents: 22_50,
    });
    expect(report.coFinancingLeverage).toBeCloseTo(750 / 9_000);
    expect(report.axes.find((line) => line.axis === 'SOCIAL_LIFE')).toEqual({
      axis: 'SOCIAL_LIFE',
      costCents: 300_00,
      plannedCents: 1_500_00,
      spentCents: 1_800_00,
      coFinancingCents: 750_00,
    });
    expect(report.csv).toContain('Renforcement de la présence du personnel de proximité;8000,00;7200,00;0,00;0,00\r\n');

    const removed = dataOf(
      await mutate(chalets, REMOVE_ENTRY, { scope: scope(), entryId: first.entries[0]!.id, expectedVersion: 4 }),
    ).removeTfpbEntry!;
    expect(removed).toMatchObject({ version: 5, totalPlannedCents: 1_500_00, totalSpentCents: 1_800_00 });
    // Put back for the district table.
    await mutate(chalets, ADD_ENTRY, { scope: scope(), entry: caretaking, expectedVersion: 5 });
  });

  it('refuses a change made on a stale version with CONFLICT and the current version, writing nothing', async () => {
    const before = dataOf(
      await graph.request<{ tfpbReport: ProgrammeReport }>(PROGRAMME_REPORT, {
        caller: TEST_ADMIN,
        variables: { landlordId: coop.chalets, districtId: coop.mirail, year: YEAR },
      }),
    ).tfpbReport;
    const stale = await mutate(staffOf(coop.chalets), SET_ABATEMENT, {
      scope: scope(),
      abatementCents: 1_00,
      expectedVersion: before.version - 1,
    });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(before.version);
    const fresh = await mutate(staffOf(coop.languedocienne), ADD_ENTRY, {
      scope: scope(),
      entry: { axis: 'SMALL_WORKS', label: 'x' },
      expectedVersion: 3,
    });
    expect(errorCodes(fresh)).toEqual(['CONFLICT']);
    const after = dataOf(
      await graph.request<{ tfpbReport: ProgrammeReport }>(PROGRAMME_REPORT, {
        caller: TEST_ADMIN,
        variables: { landlordId: coop.chalets, districtId: coop.mirail, year: YEAR },
      }),
    ).tfpbReport;
    expect(after).toEqual(before);
  });

  it("lets only the landlord's staff, and admins naming it, change its programme, in a district where it has buildings", async () => {
    const entry = { axis: 'SMALL_WORKS', label: 'Peinture des halls', plannedCents: 100_00 };
    const attempt = (caller: Caller, landlordId?: string, districtId = coop.mirail) =>
      mutate(caller, ADD_ENTRY, { scope: scope(landlordId, districtId), entry, expectedVersion: 0 });
    expect(errorCodes(await attempt(staffOf(coop.languedocienne), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await attempt(coordinatorOf(coop.mirail), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await attempt(partnerStaff(coop.regie), coop.chalets))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await attempt(TEST_ADMIN))).toEqual(['BAD_USER_INPUT']);
    // Habitat Voisin has no buildings in the Mirail, which it therefore does not know of.
    expect(errorCodes(await attempt(staffOf(coop.neighbour)))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await attempt(staffOf(coop.metropoleHabitat), undefined, 'no-such-district'))).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await mutate(staffOf(coop.metropoleHabitat), ADD_ENTRY, {
          scope: scope(),
          entry: { ...entry, plannedCents: -1 },
          expectedVersion: 0,
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await mutate(staffOf(coop.metropoleHabitat), ADD_ENTRY, { scope: scope(), entry: { ...entry, label: ' ' }, expectedVersion: 0 }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await mutate(staffOf(coop.metropoleHabitat), REMOVE_ENTRY, { scope: scope(), entryId: 'no-such-line', expectedVersion: 0 }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    // Nothing of the refused attempts was written: Toulouse Métropole Habitat has no programme.
    const metropole = dataOf(
      await graph.request<{ tfpbReport: ProgrammeReport }>(PROGRAMME_REPORT, {
        caller: TEST_ADMIN,
        variables: { landlordId: coop.metropoleHabitat, districtId: coop.mirail, year: YEAR },
      }),
    ).tfpbReport;
    expect(metropole).toMatchObject({ version: 0, entries: [], abatementCents: null });
    // The admin naming the landlord may.
    expect(dataOf(await attempt(TEST_ADMIN, coop.languedocienne)).addTfpbEntry!.version).toBe(1);
  });

  it("gives the comité every landlord of the district, axes × landlords and totals, and the landlords' totals only", async () => {
    const byCoordinator = dataOf(await table(coordinatorOf(coop.mirail))).tfpbDistrictTable;
    const names = byCoordinator.landlords.map((line: Json) => line.landlord.name);
    expect(names).toEqual(['Groupe des Chalets', 'Patrimoine SA Languedocienne', 'Toulouse Métropole Habitat']);
    const chalets = byCoordinator.landlords[0];
    expect(chalets).toMatchObject({
      abatementCents: 12_000_00,
      dwellingCount: 400,
      totalPlannedCents: 9_500_00,
      totalSpentCents: 9_000_00,
      spendingToAbatement: 0.75,
    });
    const languedocienne = byCoordinator.landlords[1];
    expect(languedocienne).toMatchObject({
      abatementCents: null,
      totalPlannedCents: 100_00,
      totalSpentCents: 100_00,
      spendingToAbatement: null,
    });
    expect(byCoordinator).toMatchObject({
      totalAbatementCents: 12_000_00,
      totalPlannedCents: 9_600_00,
      totalSpentCents: 9_100_00,
      totalCoFinancingCents: 750_00,
    });
    expect(byCoordinator.axes.find((line: Json) => line.axis === 'SOCIAL_LIFE')).toEqual({
      axis: 'SOCIAL_LIFE',
      plannedCents: 1_500_00,
      spentCents: 1_900_00,
      coFinancingCents: 750_00,
    });

    const csv: string[] = byCoordinator.csv.split('\r\n');
    expect(csv[0]).toBe('Axe;Groupe des Chalets;Patrimoine SA Languedocienne;Toulouse Métropole Habitat;Total');
    expect(csv).toContain('Réalisé : Animation, lien social, vivre ensemble;1800,00;100,00;0,00;1900,00');
    expect(csv).toContain('Abattement TFPB (€);12000,00;;;12000,00');
    expect(csv).toContain('Réalisé / abattement;0,75;;;');

    // A landlord of the district reads the same table (totals by axis, never another landlord's lines).
    expect(dataOf(await table(staffOf(coop.languedocienne))).tfpbDistrictTable).toEqual(byCoordinator);
    expect(dataOf(await table(TEST_ADMIN)).tfpbDistrictTable).toEqual(byCoordinator);
    const lines = await graph.request(
      `query ($districtId: ID!) { tfpbDistrictTable(districtId: $districtId, year: ${YEAR}) { landlords { entries { label } } } }`,
      {
        caller: staffOf(coop.languedocienne),
        variables: { districtId: coop.mirail },
      },
    );
    expect(errorCodes(lines)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(
      errorCodes(
        await graph.request(PROGRAMME_REPORT, {
          caller: staffOf(coop.languedocienne),
          variables: { landlordId: coop.chalets, districtId: coop.mirail, year: YEAR },
        }),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it("is read by the State and the municipality of the district, the comité's other members, and by no other partner", async () => {
    const partnerOf = async (kind: string, districtId: string) =>
      partnerStaff(await registerPartner(graph, { name: `${kind} ${districtId}`, kind, services: ['OTHER'], districtIds: [districtId] }));
    const byCoordinator = dataOf(await table(coordinatorOf(coop.mirail))).tfpbDistrictTable;

    expect(dataOf(await table(await partnerOf('STATE', coop.mirail))).tfpbDistrictTable).toEqual(byCoordinator);
    expect(dataOf(await table(await partnerOf('MUNICIPALITY', coop.mirail))).tfpbDistrictTable).toEqual(byCoordinator);
    expect(errorCodes(await table(await partnerOf('STATE', coop.bellefontaine)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await table(await partnerOf('ASSOCIATION', coop.mirail)))).toEqual(['FORBIDDEN']);
  });

  it("is refused to those outside the district: another district's coordinator and landlords, its other partners", async () => {
    expect(errorCodes(await table(coordinatorOf(coop.bellefontaine)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await table(staffOf(coop.neighbour)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await table(partnerStaff(coop.regie)))).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await graph.request(DISTRICT_TABLE, { caller: TEST_ADMIN, variables: { districtId: coop.mirail, year: 1900 } })),
    ).toEqual(['BAD_USER_INPUT']);
  });
});
