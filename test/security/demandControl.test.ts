import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, buildSchema, getNamedType, getNullableType, isListType, isObjectType, parse } from 'graphql';
import { DEFAULT_MAX_QUERY_COST } from '../../gateway/config';
import { costDirectivesOf } from '../../gateway/plugins/limits/demandControl/costDirectives';
import { seedDemoDataIfEmpty } from '../../scripts/seed/demo';
import { dataOf, errorCodes, startTestGraph, TEST_ADMIN, type GraphQLResponse, type TestGraph } from '../support/testGraph';

const SCHEMA_DIR = path.resolve(__dirname, '../../schema');
const MIRAIL = 'district-grand-mirail';

/**
 * The attacker's operation: 12 levels deep (within MAX_QUERY_DEPTH), four nested pages of `first` each. It
 * selects 12 fields, yet asks housing and tenancy for up to 100 × 100 × 100 × 100 records.
 */
const NESTED_PAGES = /* GraphQL */ `
  query NestedPages($district: ID!, $first: Int) {
    district(id: $district) {
      buildings(first: $first) {
        nodes {
          requests(first: $first) {
            nodes {
              building {
                dwellings(first: $first) {
                  nodes {
                    building {
                      requests(first: $first) {
                        nodes {
                          id
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** The estimate of NESTED_PAGES, from the innermost page out: request nodes, then each level's object, connection and page. */
function nestedPagesCost(first: number): number {
  const innermost = first * 1;
  const dwellingLevel = first * (1 + 1 + 1 + innermost); // dwelling, its building, its requests connection
  const requestLevel = first * (1 + 1 + 1 + dwellingLevel); // request, its building, its dwellings connection
  const buildingLevel = first * (1 + 1 + requestLevel); // building, its requests connection
  return 1 + 1 + buildingLevel; // district, its buildings connection
}

const inline = (first: number) => NESTED_PAGES.replace(', $first: Int', '').replaceAll('$first', String(first));

describe('demand control: operations are priced by what they ask for, lists at their size', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
    await seedDemoDataIfEmpty(graph.db);
  });

  afterAll(async () => {
    await graph.close();
  });

  /** POSTs as an admin, asking for the estimated cost in the response's extensions. */
  async function postWithCost(query: string, variables: Record<string, unknown>, operationName?: string) {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token(TEST_ADMIN)}`, 'x-query-cost': 'estimate' },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return {
      status: response.status,
      ...((await response.json()) as Omit<GraphQLResponse, 'status'> & { extensions?: Record<string, unknown> }),
    };
  }

  function expectRefused(response: GraphQLResponse<unknown>, cost: number): void {
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toMatchObject([
      {
        message: `The operation's estimated cost is ${cost} (each list counted at its requested or assumed size); at most ${DEFAULT_MAX_QUERY_COST} is allowed.`,
        extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: DEFAULT_MAX_QUERY_COST },
      },
    ]);
  }

  it('refuses four nested pages of 100 with their estimated cost, before any subgraph call, and lets the same shape with small pages through', async () => {
    graph.resetCommands();
    expectRefused(await graph.request(inline(100), { caller: TEST_ADMIN, variables: { district: MIRAIL } }), 103_030_202);
    expect(nestedPagesCost(100)).toBe(103_030_202);
    // No subgraph was called: none sent its database a single command.
    expect(graph.commands).toEqual([]);

    const small = await graph.request<{ district: { buildings: { nodes: unknown[] } } }>(inline(2), {
      caller: TEST_ADMIN,
      variables: { district: MIRAIL },
    });
    expect(dataOf(small).district.buildings.nodes).toHaveLength(2);
    expect(graph.commands.length).toBeGreaterThan(0);
  });

  it('prices a page size given in a variable from its value', async () => {
    graph.resetCommands();
    expectRefused(
      await graph.request(NESTED_PAGES, { caller: TEST_ADMIN, variables: { district: MIRAIL, first: 100 } }),
      nestedPagesCost(100),
    );
    expectRefused(
      await graph.request(NESTED_PAGES, { caller: TEST_ADMIN, variables: { district: MIRAIL, first: 10 } }),
      nestedPagesCost(10),
    );
    expect(graph.commands).toEqual([]);
    // Without `first`, each page counts at the subgraphs' default page size (20): 20⁴ is far over the budget too.
    expectRefused(await graph.request(NESTED_PAGES, { caller: TEST_ADMIN, variables: { district: MIRAIL } }), nestedPagesCost(20));
    dataOf(await graph.request(NESTED_PAGES, { caller: TEST_ADMIN, variables: { district: MIRAIL, first: 3 } }));
  });

  it('counts an aliased list at each alias and a fragment at each spread', async () => {
    const pages = 'buildings(first: 60) { nodes { dwellings(first: 60) { nodes { id } } } }';
    // A page of 60 buildings with 60 dwellings each: its connection, then 60 × (building, dwellings connection, 60 dwellings).
    const pagesCost = 1 + 60 * (1 + 1 + 60);
    const aliased = (count: number) =>
      `{ district(id: "${MIRAIL}") { ${Array.from({ length: count }, (_, index) => `p${index}: ${pages}`).join(' ')} } }`;
    const spread = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `d${index}: district(id: "${MIRAIL}") { ...Pages }`).join(' ')} } fragment Pages on District { ${pages} }`;

    expect((await postWithCost(aliased(2), {})).extensions).toEqual({ cost: 1 + 2 * pagesCost, maxCost: DEFAULT_MAX_QUERY_COST });
    graph.resetCommands();
    expectRefused(await postWithCost(aliased(3), {}), 1 + 3 * pagesCost);
    expectRefused(await postWithCost(spread(3), {}), 3 * (1 + pagesCost));
    expect(graph.commands).toEqual([]);
  });

  it('leaves the page cap to the subgraphs (BAD_USER_INPUT over 100), and gives no budget back for a negative page', async () => {
    const over = await graph.request(`{ district(id: "${MIRAIL}") { buildings(first: 101) { nodes { id } } } }`, { caller: TEST_ADMIN });
    expect(errorCodes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.errors?.[0]?.extensions?.field).toBe('first');

    const buyingBudget = `{ district(id: "${MIRAIL}") {
      refund: buildings(first: -100000000) { nodes { dwellings(first: 100) { nodes { id } } } }
      spend: buildings(first: 100) { nodes { dwellings(first: 100) { nodes { id } } } }
    } }`;
    expectRefused(await graph.request(buyingBudget, { caller: TEST_ADMIN }), 1 + 1 + 0 + 1 + 100 * (1 + 1 + 100));
  });

  // Some fifty operations, one request each, on a machine that may be busy: more than the default timeout.
  it('lets every published operation through with the default budget, and tells its cost when asked', async () => {
    // The published operations and the web app's, as graphql-codegen's persisted documents hold them (npm run codegen).
    const published = ['client/generated/persisted-documents.json', 'web/src/gql/persisted-documents.json'].flatMap((file) =>
      Object.values(JSON.parse(readFileSync(path.resolve(__dirname, '../..', file), 'utf8')) as Record<string, string>).map((body) => ({
        name: operationNameOf(body),
        body,
      })),
    );
    const action = { id: 'action-unknown', expectedVersion: 1 };
    // The dashboard at the largest page a subgraph serves; the partner search over every partner.
    const variablesOf: Record<string, Record<string, unknown>> = {
      Action: { id: action.id },
      ProposeAction: { input: { districtId: 'district-unknown', title: 'Nettoyage de printemps', kind: 'CLEAN_UP' } },
      JoinAction: action,
      ActionInvitations: { landlordId: 'landlord-tmh' },
      InviteToAction: { ...action, landlordId: 'landlord-tmh' },
      AcceptActionInvitation: action,
      DeclineActionInvitation: action,
      LeaveAction: action,
      ChangeCostShare: { ...action, costShareCents: 250_00 },
      AttachPartnerToAction: { ...action, partnerId: 'partner-regie' },
      DetachPartnerFromAction: { ...action, partnerId: 'partner-regie' },
      ScheduleAction: { ...action, startsAt: '2026-04-01T09:00:00Z', endsAt: '2026-04-01T12:00:00Z' },
      CompleteAction: { ...action, outcome: { participants: 30 } },
      CancelAction: { ...action, reason: 'Météo' },
      DistrictDashboard: { districtId: MIRAIL, first: 100 },
      PartnerSearch: {},
      TfpbReport: { landlordId: 'landlord-tmh', districtId: MIRAIL, year: 2025 },
      // The web app's operations (web/src/operations), safelisted beside the published ones.
      WebScope: {},
      WebSignInIdentities: {},
      WebDistrict: { districtId: MIRAIL, period: { year: 2026, month: 3 }, year: { year: 2026 } },
      WebDistrictActions: { districtId: MIRAIL },
      WebAction: { id: action.id },
      WebProposeAction: { input: { districtId: 'district-unknown', title: 'Nettoyage de printemps', kind: 'CLEAN_UP' } },
      WebInviteToAction: { ...action, landlordId: 'landlord-tmh' },
      WebAcceptActionInvitation: action,
      WebDeclineActionInvitation: action,
      WebLeaveAction: action,
      WebScheduleAction: { ...action, startsAt: '2026-04-01T09:00:00Z', endsAt: '2026-04-01T12:00:00Z' },
      WebCompleteAction: { ...action, outcome: { participants: 30 } },
      WebCancelAction: { ...action, reason: 'Météo' },
      WebTfpbReport: { landlordId: 'landlord-tmh', districtId: MIRAIL, year: 2025 },
      WebPartners: { districtId: MIRAIL },
      WebLandlordRequests: { landlordId: 'landlord-tmh', districtId: MIRAIL },
      WebUpdateRequest: { id: 'request-unknown', status: 'ACKNOWLEDGED', expectedVersion: 1 },
      WebCampaigns: { districtId: MIRAIL },
      WebCampaign: { id: 'campaign-unknown' },
      WebCampaignCall: { id: 'call-unknown' },
      WebCallListCsv: { id: 'campaign-unknown' },
      WebOpenCampaign: { input: { districtId: 'district-unknown', reason: 'CANICULE', startsOn: '2026-07-01', endsOn: '2026-07-31' } },
      WebEndCampaign: { id: 'campaign-unknown', expectedVersion: 1 },
      WebClaimNextCall: { campaignId: 'campaign-unknown' },
      WebReleaseCall: { id: 'call-unknown', expectedVersion: 1 },
      WebRecordCallAttempt: { input: { callId: 'call-unknown', expectedVersion: 1, outcome: 'NO_ANSWER' } },
      WebRecordReferralConsent: { callId: 'call-unknown', consent: 'WITHDRAWN', expectedVersion: 1 },
      WebReferNeed: { input: { callId: 'call-unknown', need: 'GROCERIES', partnerId: 'partner-unknown' } },
      WebReferrals: {},
      WebRecordReferralOutcome: { id: 'referral-unknown', done: true, expectedVersion: 1 },
    };
    const costs: Record<string, unknown> = {};
    for (const { name, body } of published) {
      const variables = variablesOf[name];
      if (!variables) throw new Error(`Give the operation ${name} variables in this test.`);
      const response = await postWithCost(body, variables, name);
      expect(errorCodes(response)).not.toContain('QUERY_TOO_COMPLEX');
      expect(response.extensions?.maxCost).toBe(DEFAULT_MAX_QUERY_COST);
      costs[name] = response.extensions?.cost;
    }
    expect(costs).toEqual({
      Action: 34,
      ActionInvitations: 350,
      ProposeAction: 45,
      InviteToAction: 44,
      AcceptActionInvitation: 44,
      DeclineActionInvitation: 44,
      LeaveAction: 44,
      ChangeCostShare: 44,
      AttachPartnerToAction: 44,
      DetachPartnerFromAction: 44,
      JoinAction: 44,
      ScheduleAction: 44,
      CompleteAction: 45,
      CancelAction: 44,
      DistrictDashboard: 1470,
      PartnerSearch: 1550,
      TfpbReport: 20,
      WebScope: 100,
      WebSignInIdentities: 150,
      WebDistrict: 1130,
      WebDistrictActions: 1231,
      WebAction: 24,
      WebProposeAction: 35,
      WebInviteToAction: 34,
      WebAcceptActionInvitation: 34,
      WebDeclineActionInvitation: 34,
      WebLeaveAction: 34,
      WebScheduleAction: 34,
      WebCompleteAction: 35,
      WebCancelAction: 34,
      WebTfpbReport: 20,
      WebPartners: 1550,
      WebLandlordRequests: 1152,
      WebUpdateRequest: 11,
      WebCampaigns: 240,
      WebCampaign: 783,
      WebCampaignCall: 20,
      WebCallListCsv: 21,
      WebOpenCampaign: 23,
      WebEndCampaign: 22,
      WebClaimNextCall: 30,
      WebReleaseCall: 30,
      WebRecordCallAttempt: 31,
      WebRecordReferralConsent: 30,
      WebReferNeed: 12,
      WebReferrals: 301,
      WebRecordReferralOutcome: 13,
    });
    for (const cost of Object.values(costs)) expect(cost).toBeLessThanOrEqual(DEFAULT_MAX_QUERY_COST / 3);
  }, 120_000);

  it('sizes every list of the graph (@listSize), so that none is priced by the gateway’s pessimistic fallback', () => {
    const api = buildSchema(readFileSync(path.join(SCHEMA_DIR, 'api.graphql'), 'utf8'));
    const directives = costDirectivesOf(parse(readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8')));
    // A connection's edges and nodes are sized by the field that returns the connection.
    const sizedByParent = new Set<string>();
    const objectTypes = Object.values(api.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__'));
    for (const type of objectTypes) {
      for (const field of Object.values(type.getFields())) {
        for (const sized of directives.listSize(`${type.name}.${field.name}`)?.sizedFields ?? [])
          sizedByParent.add(`${getNamedType(field.type).name}.${sized}`);
      }
    }
    const unsized = objectTypes.flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => isListType(getNullableType(field.type)))
        .map((field) => `${type.name}.${field.name}`)
        .filter((coordinate) => !directives.listSize(coordinate) && !sizedByParent.has(coordinate)),
    );
    expect(unsized).toEqual([]);
  });
});

function operationNameOf(body: string): string {
  const operation = parse(body).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION && operation.name ? operation.name.value : 'anonymous';
}
