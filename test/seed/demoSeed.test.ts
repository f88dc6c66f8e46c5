import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Caller } from '../../lib/auth/caller';
import { seedDemoDataIfEmpty } from '../../scripts/seed/demo';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';

const DISTRICT_DASHBOARD = readFileSync(path.resolve(__dirname, '../../schema/operations/districtDashboard.graphql'), 'utf8');

const SATISFACTION = `
  query Satisfaction($districtId: ID!, $year: Int!) {
    district(id: $districtId) { satisfaction(year: $year) { themes { theme respondents satisfiedRate disclosure } } }
  }`;

interface SurveyThemes {
  district: { satisfaction: { themes: { theme: string; respondents: number; satisfiedRate: number | null; disclosure: string }[] }[] };
}

interface Dashboard {
  district: {
    id: string;
    name: string;
    qpvCode: string;
    legacyQpvCode: string;
    landlords: { id: string; name: string; family: string }[];
    stock: {
      dwellings: number;
      buildings: number;
      byLandlord: { landlord: { id: string }; buildings: number; dwellings: number }[];
      byFinancing: { financing: string | null; count: number }[];
      byEnergyClass: { energyClass: string | null; count: number }[];
    };
    requestStats: {
      disclosure: string;
      total: number | null;
      open: number | null;
      acknowledgedWithin48hRate: number | null;
      medianResolutionHours: number | null;
    };
    buildings: {
      totalCount: number;
      nodes: { id: string; dwellingCount: number; requestStats: { disclosure: string; total: number | null } }[];
    };
    actions: { status: string; tfpbAxis: string | null; organisers: { id: string }[]; partners: { id: string }[] }[];
    partners: { id: string; kind: string; cnlrqLabel: boolean }[];
  };
}

const MIRAIL = 'district-grand-mirail';
/** A response's data, shaped by the query: read with optional chaining. */
type Json = any;

const COORDINATOR: Caller = { role: 'COORDINATOR', sub: 'coordinatrice-mirail', districtIds: [MIRAIL] };

describe('demo data', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  const count = (collection: string, filter = {}) => graph.db.collection(collection).countDocuments(filter);

  it('seeds an empty database with the promised records, and leaves a seeded one alone', async () => {
    expect(await seedDemoDataIfEmpty(graph.db)).toBe(true);

    expect({
      landlords: await count(COLLECTIONS.landlords),
      districts: await count(COLLECTIONS.districts),
      buildings: await count(COLLECTIONS.buildings),
      dwellings: await count(COLLECTIONS.dwellings),
      serviceRequests: await count(COLLECTIONS.serviceRequests),
      actions: await count(COLLECTIONS.actions),
      partners: await count(COLLECTIONS.partners),
      agreements: await count(COLLECTIONS.agreements),
      satisfactionSurveys: await count(COLLECTIONS.satisfactionSurveys),
    }).toEqual({
      landlords: 3,
      districts: 1,
      buildings: 20,
      dwellings: 3630,
      serviceRequests: 300,
      actions: 12,
      partners: 2,
      agreements: 2,
      satisfactionSurveys: 3,
    });
    expect(await count(COLLECTIONS.households)).toBeGreaterThan(200);
    expect(await count(COLLECTIONS.households, { vulnerable: true })).toBeGreaterThan(0);
    for (const status of ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED']) {
      expect(await count(COLLECTIONS.serviceRequests, { status })).toBeGreaterThan(0);
    }
    const regie = await graph.db.collection(COLLECTIONS.partners).findOne({ _id: 'partner-regie-mirail' as never });
    expect(regie).toMatchObject({ kind: 'REGIE_DE_QUARTIER', cnlrqLabel: true, districtIds: [MIRAIL] });
    expect(await count(COLLECTIONS.agreements, { partnerId: 'partner-regie-mirail' })).toBe(1);

    expect(await seedDemoDataIfEmpty(graph.db)).toBe(false);
    expect(await count(COLLECTIONS.dwellings)).toBe(3630);
  });

  it('shows the coordinator of Grand Mirail its three landlords, stock, requests, actions and partners', async () => {
    const dwellingsInserted = await count(COLLECTIONS.dwellings, { districtId: MIRAIL });
    const { district } = dataOf(
      await graph.request<Dashboard>(DISTRICT_DASHBOARD, { caller: COORDINATOR, variables: { districtId: MIRAIL, period: null } }),
    );

    expect(district).toMatchObject({ id: MIRAIL, name: 'Grand Mirail', qpvCode: 'QN03107M', legacyQpvCode: 'QP031007' });
    expect(district.landlords.map((landlord) => landlord.name).sort()).toEqual([
      'Groupe des Chalets',
      'Patrimoine SA Languedocienne',
      'Toulouse Métropole Habitat',
    ]);
    expect(district.stock.dwellings).toBe(dwellingsInserted);
    expect(district.stock.buildings).toBe(20);
    expect(district.stock.byLandlord.reduce((sum, entry) => sum + entry.dwellings, 0)).toBe(3630);
    expect(district.stock.byFinancing.reduce((sum, entry) => sum + entry.count, 0)).toBe(3630);
    expect(district.stock.byEnergyClass.reduce((sum, entry) => sum + entry.count, 0)).toBe(3630);
    expect(district.buildings.totalCount).toBe(20);
    expect(district.buildings.nodes.reduce((sum, building) => sum + building.dwellingCount, 0)).toBe(3630);
    expect(district.requestStats).toMatchObject({ disclosure: 'PUBLISHED', total: 300 });
    // Buildings with few requests are small cells for a coordinator: what they hide together is 0 or at least 11.
    const shownOfBuildings = district.buildings.nodes.reduce((sum, building) => sum + (building.requestStats.total ?? 0), 0);
    expect(300 - shownOfBuildings === 0 || 300 - shownOfBuildings >= 11).toBe(true);
    const forAdmin = dataOf(
      await graph.request<Dashboard>(DISTRICT_DASHBOARD, { caller: TEST_ADMIN, variables: { districtId: MIRAIL } }),
    ).district;
    expect(forAdmin.buildings.nodes.reduce((sum, building) => sum + building.requestStats.total!, 0)).toBe(300);
    expect(district.requestStats.open).toBeGreaterThan(0);
    expect(district.requestStats.acknowledgedWithin48hRate).toBeGreaterThan(0.6);
    expect(district.requestStats.acknowledgedWithin48hRate).toBeLessThan(0.9);
    expect(district.requestStats.medianResolutionHours).toBeGreaterThan(24);
    expect(new Set(district.actions.map((action) => action.status))).toEqual(new Set(['PROPOSED', 'SCHEDULED', 'DONE', 'CANCELLED']));
    expect(district.actions.every((action) => action.tfpbAxis !== null && action.organisers.length > 0)).toBe(true);
    expect(district.partners).toContainEqual({
      id: 'partner-regie-mirail',
      name: 'Régie de quartier du Grand Mirail',
      kind: 'REGIE_DE_QUARTIER',
      cnlrqLabel: true,
    });
  });

  it("seeds surveys whose respondents answer every theme, each rate shared with the district's coordinator", async () => {
    const lastYear = new Date().getUTCFullYear() - 1;
    const response = await graph.request<SurveyThemes>(SATISFACTION, {
      caller: COORDINATOR,
      variables: { districtId: MIRAIL, year: lastYear },
    });
    const surveys = dataOf(response).district.satisfaction;

    expect(surveys).toHaveLength(3);
    for (const { themes } of surveys) {
      expect(themes).toHaveLength(6);
      expect(new Set(themes.map((theme) => theme.respondents)).size).toBe(1);
      expect(themes[0]!.respondents).toBeGreaterThanOrEqual(11);
      expect(themes.every((theme) => theme.disclosure === 'PUBLISHED' && theme.satisfiedRate !== null)).toBe(true);
    }
  });

  it("withholds from the coordinator and the other landlords a survey's rates answered by fewer than 11 tenants", async () => {
    const owner: Caller = { role: 'LANDLORD_STAFF', sub: 'agent-chalets', landlordId: 'landlord-chalets' };
    const other: Caller = { role: 'LANDLORD_STAFF', sub: 'agent-tmh', landlordId: 'landlord-tmh' };
    const year = new Date().getUTCFullYear();
    // A spot survey of one stairwell: eight households, each answering both themes.
    const recorded = await graph.request(
      `mutation ($input: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $input) { year } }`,
      {
        caller: owner,
        variables: {
          input: {
            landlordId: 'landlord-chalets',
            districtId: MIRAIL,
            year,
            scores: [
              { theme: 'OVERALL', respondents: 8, satisfied: 6 },
              { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 8, satisfied: 3 },
            ],
          },
        },
      },
    );
    dataOf(recorded);

    const themesSeenBy = async (caller: Caller) => {
      const response = await graph.request<SurveyThemes>(SATISFACTION, { caller, variables: { districtId: MIRAIL, year } });
      return dataOf(response).district.satisfaction.flatMap((survey) => survey.themes);
    };
    const withheld = [
      { theme: 'OVERALL', respondents: 8, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
      { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 8, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
    ];
    expect(await themesSeenBy(COORDINATOR)).toEqual(withheld);
    expect(await themesSeenBy(other)).toEqual(withheld);
    expect(await themesSeenBy(owner)).toEqual([
      { theme: 'OVERALL', respondents: 8, satisfiedRate: 0.75, disclosure: 'EXACT' },
      { theme: 'COMMON_AREAS_CLEANLINESS', respondents: 8, satisfiedRate: 0.375, disclosure: 'EXACT' },
    ]);
  });

  it("gives the comité de pilotage last year's TFPB table: each landlord's abatement, spending and co-financing", async () => {
    const year = new Date().getUTCFullYear() - 1;
    const response = await graph.request<{ tfpbDistrictTable: Json }>(
      `query ($districtId: ID!, $year: Int!) {
        tfpbDistrictTable(districtId: $districtId, year: $year) {
          totalAbatementCents totalSpentCents spendingToAbatement csv
          landlords { landlord { name } abatementCents dwellingCount totalSpentCents spendingToAbatement spentPerDwellingCents coFinancingLeverage }
        }
      }`,
      { caller: COORDINATOR, variables: { districtId: MIRAIL, year } },
    );
    const table = dataOf(response).tfpbDistrictTable;
    expect(table.landlords.map((line: Json) => line.landlord.name)).toEqual([
      'Groupe des Chalets',
      'Patrimoine SA Languedocienne',
      'Toulouse Métropole Habitat',
    ]);
    expect(table.landlords.reduce((sum: number, line: Json) => sum + (line.dwellingCount as number), 0)).toBe(3630);
    for (const line of table.landlords) {
      expect(line.abatementCents / line.dwellingCount).toBeGreaterThanOrEqual(190_00);
      expect(line.abatementCents / line.dwellingCount).toBeLessThanOrEqual(250_00);
      expect(line.spendingToAbatement).toBeGreaterThan(0.7);
      expect(line.spendingToAbatement).toBeLessThan(1.3);
      expect(line.coFinancingLeverage).toBeGreaterThan(0);
    }
    expect(table.csv.split('\r\n')[0]).toBe('Axe;Groupe des Chalets;Patrimoine SA Languedocienne;Toulouse Métropole Habitat;Total');
  });

  it('runs a canicule campaign in Grand Mirail with the three landlords, the régie taking grocery referrals', async () => {
    const progress = dataOf(
      await graph.request<Json>(
        `query ($district: ID!) { campaigns(districtId: $district) { id reason status landlords { id } progress {
          total { households { count disclosure } reached { count } needs { need count } referralsDone { count } } } } }`,
        { caller: TEST_ADMIN, variables: { district: MIRAIL } },
      ),
    ).campaigns;
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ reason: 'CANICULE', status: 'ACTIVE' });
    expect(progress[0].landlords).toHaveLength(3);
    const total = progress[0].progress.total;
    expect(total.households.count).toBeGreaterThan(100);
    expect(total.reached.count).toBeGreaterThan(20);
    expect(total.needs.find((row: Json) => row.need === 'GROCERIES').count).toBeGreaterThan(0);
    const regie: Caller = { role: 'PARTNER', sub: 'regie', partnerId: 'partner-regie-mirail' };
    const referrals = dataOf(
      await graph.request<Json>('query { referrals(first: 100) { totalCount nodes { need status contact { firstName phone } } } }', {
        caller: regie,
      }),
    ).referrals;
    expect(referrals.totalCount).toBeGreaterThan(0);
    expect(referrals.nodes.every((referral: Json) => referral.need === 'GROCERIES' && referral.contact?.firstName)).toBe(true);
  });

  it('lets a landlord read its own cost shares of a done action', async () => {
    const doneAction = await graph.db.collection(COLLECTIONS.actions).findOne({ districtId: MIRAIL, status: 'DONE' });
    const organiser = doneAction!.organiserIds[0] as string;
    const response = await graph.request<{
      action: { costShares: { landlord: { id: string }; amountCents: number }[]; outcome: { participants: number } };
    }>('query ($id: ID!) { action(id: $id) { costShares { landlord { id } amountCents } outcome { participants } } }', {
      caller: { role: 'LANDLORD_STAFF', sub: 'agent-demo', landlordId: organiser },
      variables: { id: doneAction!._id },
    });

    const { action } = dataOf(response);
    expect(action.costShares.map((share) => share.landlord.id)).toEqual(doneAction!.organiserIds);
    expect(action.outcome.participants).toBeGreaterThan(0);
  });
});
