import {
  type AccessWorld,
  BAD_INPUT,
  EMPTY,
  type Expectation,
  FORBIDDEN,
  type RoleName,
  type RoleRow,
  type Target,
  UNKNOWN,
  type Variables,
  casesOf,
  distinctCodes,
  leaksIn,
  ok,
  seedAccessWorld,
  sendTo,
} from '../support/accessFixtures';
import { dayOffset } from '../support/campaignFixtures';
import { type GraphQLResponse, type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * Who reads and writes wellbeing-call campaigns, as a matrix over the eight callers of the access world (see
 * accessFixtures): a coordinator's campaign in Le Mirail for its two landlords, the owner's household reached, its
 * groceries referred with consent to the régie (PARTNER). Each read goes through the gateway and straight to the
 * tenancy subgraph. Beyond the matrix's own checks, no one but the owner's staff, admins and (for the referral's
 * contact alone) the régie reads the referred household's name or phone.
 */

const REFERRED = { contactName: 'Rosa Lemoine', contactFirstName: 'Rosa', phone: '05 61 77 01 02' } as const;

interface CampaignWorld {
  campaign: string;
  call: string;
  referral: string;
}

/** A response's data, shaped by the query each row sends. */
type Json = any;

interface CampaignRow {
  name: string;
  query: string;
  variables: (world: AccessWorld, campaigns: CampaignWorld) => Variables;
  /** The answer's root: null for a record the caller may not know; a connection's totalCount tells a filtered list. */
  root: (data: Json) => any;
  /** A write, whose unknown record is NOT_FOUND rather than null. */
  write?: boolean;
  /** The roles that may read the referred household's contact in this row's answer. */
  contactReadBy?: readonly RoleName[];
  expect: RoleRow;
}

const U = UNKNOWN;
const F = FORBIDDEN;

const READS: readonly CampaignRow[] = [
  {
    name: 'a campaign',
    query: 'query ($id: ID!) { campaign(id: $id) { title status landlords { id } } }',
    variables: (_, c) => ({ id: c.campaign }),
    root: (data) => data.campaign,
    expect: [ok, ok, ok, U, ok, U, ok, U],
  },
  {
    name: "the owner's call list",
    query:
      'query ($id: ID!, $l: ID) { campaign(id: $id) { calls(landlordId: $l, first: 10) { totalCount nodes { id household { contactName phone } } } } }',
    variables: (world, c) => ({ id: c.campaign, l: world.landlords.owner }),
    root: (data) => data.campaign && data.campaign.calls,
    contactReadBy: ['OWNER_STAFF'],
    expect: [ok, ok, EMPTY, U, EMPTY, U, EMPTY, U],
  },
  {
    name: "the owner's call-list export",
    query: 'query ($id: ID!, $l: ID) { campaign(id: $id) { callListCsv(landlordId: $l) } }',
    variables: (world, c) => ({ id: c.campaign, l: world.landlords.owner }),
    root: (data) => data.campaign && data.campaign.callListCsv,
    contactReadBy: ['OWNER_STAFF'],
    expect: [ok, ok, F, U, F, U, F, U],
  },
  {
    name: "the campaign's progress",
    query: 'query ($id: ID!) { campaign(id: $id) { progress { total { households { count disclosure } } } } }',
    variables: (_, c) => ({ id: c.campaign }),
    root: (data) => data.campaign && data.campaign.progress,
    expect: [ok, ok, ok, U, ok, U, F, U],
  },
  {
    name: "a call of the owner's",
    query: 'query ($id: ID!) { campaignCall(id: $id) { id status needs household { contactName } } }',
    variables: (_, c) => ({ id: c.call }),
    root: (data) => data.campaignCall,
    contactReadBy: ['OWNER_STAFF'],
    expect: [ok, ok, U, U, U, U, U, U],
  },
  {
    name: 'a referral to the régie',
    query: 'query ($id: ID!) { referral(id: $id) { need status contact { firstName phone } } }',
    variables: (_, c) => ({ id: c.referral }),
    root: (data) => data.referral,
    contactReadBy: ['OWNER_STAFF', 'PARTNER'],
    expect: [ok, ok, U, U, U, U, ok, U],
  },
  {
    name: 'the referrals',
    query: 'query { referrals(first: 10) { totalCount nodes { need contact { firstName phone } } } }',
    variables: () => ({}),
    root: (data) => data.referrals,
    contactReadBy: ['OWNER_STAFF', 'PARTNER'],
    expect: [ok, ok, EMPTY, EMPTY, EMPTY, EMPTY, ok, EMPTY],
  },
  {
    name: "the owner's contact access log",
    query: 'query ($l: ID) { contactAccessLog(landlordId: $l, first: 10) { totalCount nodes { kind role } } }',
    variables: (world) => ({ l: world.landlords.owner }),
    root: (data) => data.contactAccessLog,
    expect: [ok, ok, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
  },
];

const WRITES: readonly CampaignRow[] = [
  {
    name: 'opening a campaign for the owner',
    query: `mutation ($d: ID!, $l: ID, $s: Date!, $e: Date!) {
      openCampaign(input: { districtId: $d, landlordId: $l, reason: ISOLEMENT, startsOn: $s, endsOn: $e }) { id } }`,
    variables: (world) => ({ d: world.mirail, l: world.landlords.owner, s: dayOffset(0), e: dayOffset(7) }),
    root: (data) => data.openCampaign,
    write: true,
    expect: [ok, ok, F, U, BAD_INPUT, U, F, U],
  },
  {
    name: 'claiming the next call',
    query: 'mutation ($id: ID!) { claimNextCall(campaignId: $id) { id } }',
    variables: (_, c) => ({ id: c.campaign }),
    // Null when the caller's landlord has nothing left to call (the neighbour has no household to call): no error is the test.
    root: (data) => data,
    write: true,
    expect: [F, ok, ok, U, F, F, F, F],
  },
  {
    name: 'recording a referral outcome',
    query: 'mutation ($id: ID!, $v: Int!) { recordReferralOutcome(id: $id, done: true, expectedVersion: $v) { status } }',
    variables: (_, c) => ({ id: c.referral }),
    root: (data) => data.recordReferralOutcome,
    write: true,
    expect: [ok, F, U, U, U, U, ok, U],
  },
];

describe('access matrix: wellbeing-call campaigns', () => {
  let graph: TestGraph;
  let world: AccessWorld;
  let campaigns: CampaignWorld;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
    const owner = world.callers.OWNER_STAFF;
    const request = async (caller = owner, query: string, variables: Variables = {}) =>
      dataOf(await graph.request<Json>(query, { caller, variables }));
    // The régie takes grocery referrals; the owner's second household is the one referred.
    const household = (
      await request(owner, 'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }', {
        input: {
          dwellingId: world.dwellings.spare,
          since: '2020-01-01',
          size: 1,
          livesAlone: true,
          eldestMemberAgeBand: 'FROM_80_TO_89',
          ...REFERRED,
        },
      })
    ).registerHousehold.id as string;
    const campaign = (
      await request(world.callers.COORDINATOR, 'mutation ($input: OpenCampaignInput!) { openCampaign(input: $input) { id } }', {
        input: { districtId: world.mirail, reason: 'CANICULE', startsOn: dayOffset(-1), endsOn: dayOffset(10) },
      })
    ).openCampaign.id as string;
    const call = (
      await request(owner, 'mutation ($id: ID!) { claimNextCall(campaignId: $id) { id version household { id } } }', { id: campaign })
    ).claimNextCall;
    expect(call.household.id).toBe(household);
    const reached = (
      await request(owner, 'mutation ($input: RecordCallAttemptInput!) { recordCallAttempt(input: $input) { id } }', {
        input: { callId: call.id, expectedVersion: call.version, outcome: 'REACHED', needs: ['GROCERIES'], referralConsent: 'GIVEN' },
      })
    ).recordCallAttempt.id as string;
    const referral = (
      await request(owner, 'mutation ($input: ReferNeedInput!) { referNeed(input: $input) { id } }', {
        input: { callId: reached, need: 'GROCERIES', partnerId: world.partners.regie },
      })
    ).referNeed.id as string;
    // The owner's staff read the household's phone once: the log has an entry that only those allowed may see.
    await request(owner, 'query ($id: ID!) { household(id: $id) { phone } }', { id: household });
    campaigns = { campaign, call: reached, referral };
  });

  afterAll(async () => {
    await graph.close();
  });

  /** The régie's referral as it is now: its version, for a write that must not fail on a stale one. */
  const referralVersion = async () =>
    (await graph.db.collection<{ version: number }>('referrals').findOne({ _id: campaigns.referral as never }))!.version;

  function check(row: CampaignRow, role: RoleName, expected: Expectation, response: GraphQLResponse): void {
    const data = (response.data ?? {}) as Json;
    if (expected === 'allowed') {
      expect(distinctCodes(response)).toEqual([]);
      const root = row.root(data);
      expect(root).not.toBeNull();
      // A list allowed shows the world's record, which a filtered one would hide: an empty page proves nothing.
      if (root !== null && typeof root === 'object' && 'totalCount' in root) expect(root.totalCount).toBeGreaterThan(0);
    } else if (expected === 'filtered') {
      expect(distinctCodes(response)).toEqual([]);
      expect(row.root(data).totalCount).toBe(0);
    } else if (expected === 'unknown') {
      if (row.write) expect(distinctCodes(response)).toEqual(['NOT_FOUND']);
      else {
        expect(distinctCodes(response)).toEqual([]);
        expect(row.root(data) ?? null).toBeNull();
      }
    } else {
      expect(distinctCodes(response)).toEqual([expected.code]);
    }
    expect(leaksIn(response, role)).toEqual([]);
    if (role !== 'ADMIN' && !(row.contactReadBy ?? []).includes(role)) {
      const text = JSON.stringify(response);
      expect([REFERRED.contactName, REFERRED.contactFirstName, REFERRED.phone].filter((value) => text.includes(value))).toEqual([]);
    }
  }

  const targets: Target[] = ['gateway', 'tenancy'];

  describe.each(targets)('reads through %s', (target) => {
    it.each(casesOf(READS))('$title', async (row) => {
      const response = await sendTo(graph, target, row.query, world.callers[row.role], row.variables(world, campaigns));
      check(row, row.role, row.expected, response);
    });
  });

  describe('writes through the gateway', () => {
    it.each(casesOf(WRITES))('$title', async (row) => {
      const variables = { ...row.variables(world, campaigns), v: await referralVersion() };
      const response = await sendTo(graph, 'gateway', row.query, world.callers[row.role], variables);
      check(row, row.role, row.expected, response);
    });
  });
});
