import type { Caller } from '../../lib/auth/caller';
import {
  type AccessWorld,
  type RoleName,
  type Target,
  type Variables,
  entitiesQuery,
  representation,
  seedAccessWorld,
  sendTo,
} from '../support/accessFixtures';
import { openServiceRequest } from '../support/tenancyFixtures';
import { type GraphQLResponse, type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * The existence oracle: where a caller may not know a record exists, "not yours" and "no such record" must answer
 * byte for byte alike (api-contract, Error codes), through the gateway and straight at the subgraph. Each probe sends
 * the same operation twice, once naming a real record the caller may not know of and once a random id no record has,
 * and compares the whole answers, the ids themselves and the request ids aside. And ids must not be guessable: were
 * they close to sequential, a caller could find another landlord's new records by trying the ids around its own.
 */

/** A record no one has: any answer it gets is the answer for "does not exist". */
const MISSING_ID = 'f3a1c9e07b2d4856a0e1c3b5d7f92468';

/** The answer with the probed id replaced and the per-request id dropped: what must not differ. */
function shapeOf(response: GraphQLResponse<unknown>, probedId: string): string {
  const errors = response.errors?.map(({ extensions, ...error }) => {
    const { requestId: _requestId, ...rest } = extensions ?? {};
    return { ...error, extensions: rest };
  });
  return JSON.stringify({ status: response.status, data: response.data, errors }).split(probedId).join('<id>');
}

interface Probe {
  name: string;
  targets: readonly Target[];
  query: string;
  /** The variables naming `id`, the record probed (a real one, or MISSING_ID). */
  variables: (id: string, world: AccessWorld) => Variables | Promise<Variables>;
  /** The real record probed, which the callers in `callers` may not know exists. */
  realId: (world: AccessWorld) => string;
  callers: readonly RoleName[];
  /** What the answer must be: null without an error (lookups) or NOT_FOUND (mutations). */
  answer: 'null' | 'NOT_FOUND';
}

const NOT_OWNERS: readonly RoleName[] = [
  'NEIGHBOUR_STAFF',
  'OUTSIDER_STAFF',
  'COORDINATOR',
  'OTHER_COORDINATOR',
  'PARTNER',
  'OTHER_PARTNER',
];
/** Callers outside Le Mirail's cooperation, who may not know anything of it exists. */
const OUTSIDERS: readonly RoleName[] = ['OUTSIDER_STAFF', 'OTHER_COORDINATOR', 'OTHER_PARTNER'];

function lookup(field: string, selection: string, target: Target): { target: Target; query: string; root: string } {
  return { target, query: `query ($id: ID!) { ${field}(id: $id) { ${selection} } }`, root: field };
}

/** One record type, looked up as a root field and as an entity, at the gateway and at each subgraph resolving it. */
function lookups(
  typename: string,
  field: string | null,
  selection: string,
  subgraphs: readonly Target[],
  realId: (world: AccessWorld) => string,
  callers: readonly RoleName[],
): Probe[] {
  const roots: Probe[] = field
    ? (['gateway', subgraphs[0]!] as const).map((target) => ({
        name: `${field}(id) via ${target}`,
        targets: [target],
        query: lookup(field, selection, target).query,
        variables: (id) => ({ id }),
        realId,
        callers,
        answer: 'null' as const,
      }))
    : [];
  const entities = subgraphs.map((target) => ({
    name: `_entities(${typename}) via ${target}`,
    targets: [target],
    query: entitiesQuery(typename, selection),
    variables: (id: string) => representation(typename, id),
    realId,
    callers,
    answer: 'null' as const,
  }));
  return [...roots, ...entities];
}

const LOOKUPS: readonly Probe[] = [
  ...lookups('ServiceRequest', 'serviceRequest', 'id category status', ['tenancy'], (w) => w.requests.owner, NOT_OWNERS),
  ...lookups('Household', 'household', 'id size', ['tenancy'], (w) => w.households.owner, NOT_OWNERS),
  ...lookups('Building', 'building', 'id', ['housing', 'tenancy'], (w) => w.buildings.owner, OUTSIDERS),
  ...lookups('Dwelling', 'dwelling', 'id', ['housing', 'tenancy'], (w) => w.dwellings.owner, OUTSIDERS),
  ...lookups('District', 'district', 'id', ['housing', 'tenancy'], (w) => w.mirail, OUTSIDERS),
  ...lookups('NeighbourhoodAction', 'action', 'id title', ['actions'], (w) => w.actions.owner, OUTSIDERS),
  ...lookups('Partner', 'partner', 'id name', ['partners'], (w) => w.partners.regie, OUTSIDERS),
  ...lookups('Agreement', null, 'id', ['partners'], (w) => w.agreement, OUTSIDERS),
  ...lookups('Landlord', 'landlord', 'id name', ['housing'], (w) => w.landlords.owner, OUTSIDERS),
];

const mutation = (field: string, args: string, call: string) => `mutation (${args}) { ${field}(${call}) { id } }`;
const ACTION_OF_OWNER = { districtId: '', title: 'Action du jour', kind: 'CLEAN_UP' };

const MUTATIONS: readonly Probe[] = [
  {
    name: 'updateServiceRequest',
    targets: ['gateway', 'tenancy'],
    query: mutation('updateServiceRequest', '$id: ID!', 'id: $id, status: ACKNOWLEDGED, expectedVersion: 1'),
    variables: (id) => ({ id }),
    realId: (w) => w.requests.dated,
    callers: NOT_OWNERS,
    answer: 'NOT_FOUND',
  },
  {
    name: 'registerHousehold in a dwelling of Le Mirail',
    targets: ['gateway', 'tenancy'],
    query: mutation('registerHousehold', '$id: ID!', 'input: { dwellingId: $id, since: "2024-01-01", size: 2 }'),
    variables: (id) => ({ id }),
    realId: (w) => w.dwellings.spare,
    callers: OUTSIDERS,
    answer: 'NOT_FOUND',
  },
  {
    name: 'openServiceRequest in a building of Le Mirail',
    targets: ['gateway', 'tenancy'],
    query: mutation('openServiceRequest', '$id: ID!', 'input: { buildingId: $id, category: OTHER, channel: PHONE }'),
    variables: (id) => ({ id }),
    realId: (w) => w.buildings.owner,
    callers: OUTSIDERS,
    answer: 'NOT_FOUND',
  },
  {
    name: 'registerDwellings in a building of Le Mirail',
    targets: ['gateway', 'housing'],
    query: mutation('registerDwellings', '$id: ID!', 'buildingId: $id, dwellings: [{ reference: "X-1", rooms: 2 }]'),
    variables: (id) => ({ id }),
    realId: (w) => w.buildings.owner,
    callers: OUTSIDERS,
    answer: 'NOT_FOUND',
  },
  ...(
    [
      ['joinAction', 'id: $id, expectedVersion: 1'],
      ['scheduleAction', 'id: $id, startsAt: "2025-09-20T09:00:00Z", endsAt: "2025-09-20T12:00:00Z", expectedVersion: 1'],
      ['completeAction', 'id: $id, outcome: { participants: 3 }, expectedVersion: 1'],
      ['cancelAction', 'id: $id, reason: "Pluie", expectedVersion: 1'],
      ['changeCostShare', 'id: $id, costShareCents: 100, expectedVersion: 1'],
      ['attachPartnerToAction', 'id: $id, partnerId: "any-partner", expectedVersion: 1'],
      ['detachPartnerFromAction', 'id: $id, partnerId: "any-partner", expectedVersion: 1'],
    ] as const
  ).map(([field, call]): Probe => ({
    name: `${field} of an action of Le Mirail`,
    targets: ['gateway', 'actions'],
    query: mutation(field, '$id: ID!', call),
    variables: (id) => ({ id }),
    realId: (w) => w.actions.owner,
    callers: OUTSIDERS,
    answer: 'NOT_FOUND',
  })),
  {
    name: "proposeAction in Le Mirail, for the caller's own landlord",
    targets: ['gateway', 'actions'],
    query: mutation('proposeAction', '$input: ProposeActionInput!', 'input: $input'),
    variables: (id) => ({ input: { ...ACTION_OF_OWNER, districtId: id } }),
    realId: (w) => w.mirail,
    callers: ['OUTSIDER_STAFF'],
    answer: 'NOT_FOUND',
  },
  {
    name: "proposeAction in the caller's district, with a partner of Le Mirail",
    targets: ['gateway', 'actions'],
    query: mutation('proposeAction', '$input: ProposeActionInput!', 'input: $input'),
    variables: (id, w) => ({ input: { ...ACTION_OF_OWNER, districtId: w.bellefontaine, partnerIds: [id] } }),
    realId: (w) => w.partners.regie,
    callers: ['OUTSIDER_STAFF'],
    answer: 'NOT_FOUND',
  },
  {
    // Those who manage an action of Le Mirail, attaching a partner of Bellefontaine only, which they may not know of.
    name: 'attachPartnerToAction of an action of Le Mirail, a partner of Bellefontaine',
    targets: ['gateway', 'actions'],
    query: mutation('attachPartnerToAction', '$id: ID!, $actionId: ID!', 'id: $actionId, partnerId: $id, expectedVersion: 1'),
    variables: (id, w) => ({ id, actionId: w.actions.owner }),
    realId: (w) => w.partners.association,
    callers: ['OWNER_STAFF', 'COORDINATOR'],
    answer: 'NOT_FOUND',
  },
  {
    name: "proposeAction in the caller's district, at a building of Le Mirail",
    targets: ['gateway', 'actions'],
    query: mutation('proposeAction', '$input: ProposeActionInput!', 'input: $input'),
    variables: (id, w) => ({ input: { ...ACTION_OF_OWNER, districtId: w.bellefontaine, buildingIds: [id] } }),
    realId: (w) => w.buildings.owner,
    callers: ['OUTSIDER_STAFF'],
    answer: 'NOT_FOUND',
  },
  {
    name: "recordSatisfactionSurvey in Le Mirail, for the caller's own landlord",
    targets: ['gateway', 'tenancy'],
    query: mutation('recordSatisfactionSurvey', '$input: RecordSatisfactionSurveyInput!', 'input: $input').replace('{ id }', '{ year }'),
    variables: (id, w) => ({
      input: {
        landlordId: w.landlords.outsider,
        districtId: id,
        year: 2023,
        scores: [{ theme: 'OVERALL', respondents: 12, satisfied: 6 }],
      },
    }),
    realId: (w) => w.mirail,
    callers: ['OUTSIDER_STAFF'],
    answer: 'NOT_FOUND',
  },
  {
    name: "registerBuilding in Le Mirail, for the caller's own landlord",
    targets: ['gateway', 'housing'],
    query: mutation('registerBuilding', '$input: RegisterBuildingInput!', 'input: $input'),
    variables: (id, w) => ({
      input: { landlordId: w.landlords.outsider, districtId: id, address: { streetName: 'du Passe-Muraille', communeCode: '31555' } },
    }),
    realId: (w) => w.mirail,
    callers: ['OUTSIDER_STAFF'],
    answer: 'NOT_FOUND',
  },
  {
    name: "signAgreement in the caller's district with a partner of Le Mirail",
    targets: ['gateway', 'partners'],
    query: mutation('signAgreement', '$input: SignAgreementInput!', 'input: $input'),
    variables: (id, w) => ({
      input: {
        partnerId: id,
        districtId: w.bellefontaine,
        landlordIds: [w.landlords.outsider],
        kind: 'CONVENTION',
        services: ['CLEANING'],
        validFrom: '2025-01-01',
      },
    }),
    realId: (w) => w.partners.regie,
    callers: ['OTHER_COORDINATOR'],
    answer: 'NOT_FOUND',
  },
  {
    name: "signAgreement in the caller's district binding a landlord of Le Mirail",
    targets: ['gateway', 'partners'],
    query: mutation('signAgreement', '$input: SignAgreementInput!', 'input: $input'),
    variables: (id, w) => ({
      input: {
        partnerId: w.partners.association,
        districtId: w.bellefontaine,
        landlordIds: [id],
        kind: 'CONVENTION',
        services: ['GREEN_SPACES'],
        validFrom: '2025-01-01',
      },
    }),
    realId: (w) => w.landlords.owner,
    callers: ['OTHER_COORDINATOR'],
    answer: 'NOT_FOUND',
  },
];

const casesOf = (probes: readonly Probe[]) =>
  probes.flatMap((probe) =>
    probe.targets.flatMap((target) =>
      probe.callers.map((role) => ({
        ...probe,
        target,
        role,
        title: `${probe.name}${probe.targets.length > 1 ? ` via ${target}` : ''} as ${role}`,
      })),
    ),
  );

describe('security: no existence oracle', () => {
  let graph: TestGraph;
  let world: AccessWorld;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  async function probe(testCase: ReturnType<typeof casesOf>[number]): Promise<void> {
    const caller = world.callers[testCase.role];
    const realId = testCase.realId(world);
    const send = async (id: string) => sendTo(graph, testCase.target, testCase.query, caller, await testCase.variables(id, world));
    const [real, missing] = [await send(realId), await send(MISSING_ID)];

    expect(shapeOf(real, realId)).toEqual(shapeOf(missing, MISSING_ID));
    if (testCase.answer === 'null') {
      expect(missing.errors).toBeUndefined();
      expect(JSON.stringify(missing.data)).toMatch(/^\{"(\w+)":(null|\[null\])\}$/);
    } else {
      expect(missing.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    }
  }

  describe('lookups and entity references of records the caller may not know of answer null, as missing ones do', () => {
    it.each(casesOf(LOOKUPS))('$title', probe);
  });

  describe('mutations naming records the caller may not know of answer NOT_FOUND, as for missing ones', () => {
    it.each(casesOf(MUTATIONS))('$title', probe);
  });

  describe("a dwelling's household tells no one but its landlord whether the dwelling is let", () => {
    const HOUSEHOLD = 'household { id size }';
    const forms: readonly { target: Target; query: string; variables: (id: string) => Variables }[] = [
      { target: 'gateway', query: `query ($id: ID!) { dwelling(id: $id) { ${HOUSEHOLD} } }`, variables: (id) => ({ id }) },
      { target: 'tenancy', query: entitiesQuery('Dwelling', HOUSEHOLD), variables: (id) => representation('Dwelling', id) },
    ];
    /** A member of Le Mirail's cooperation, who may know the dwellings, and its counterpart outside it, who may not. */
    const PAIRS = [
      ['NEIGHBOUR_STAFF', 'OUTSIDER_STAFF'],
      ['COORDINATOR', 'OTHER_COORDINATOR'],
      ['PARTNER', 'OTHER_PARTNER'],
    ] as const;
    const cases = forms.flatMap((form) =>
      PAIRS.map(([member, outsider]) => ({ ...form, member, outsider, title: `via ${form.target} as ${member}, then ${outsider}` })),
    );

    it.each(cases)('$title', async ({ target, query, variables, member, outsider }) => {
      const [letDwelling, emptyDwelling] = [world.dwellings.owner, world.dwellings.spare];
      // A member may know the dwellings: FORBIDDEN, whether the dwelling is let or empty.
      const occupied = await sendTo(graph, target, query, world.callers[member], variables(letDwelling));
      const vacant = await sendTo(graph, target, query, world.callers[member], variables(emptyDwelling));
      expect(shapeOf(occupied, letDwelling)).toEqual(shapeOf(vacant, emptyDwelling));
      expect(occupied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      // An outsider may not know the dwelling exists: the let dwelling answers as one that does not exist.
      const probed = await sendTo(graph, target, query, world.callers[outsider], variables(letDwelling));
      const missing = await sendTo(graph, target, query, world.callers[outsider], variables(MISSING_ID));
      expect(shapeOf(probed, letDwelling)).toEqual(shapeOf(missing, MISSING_ID));
      expect(missing.errors).toBeUndefined();
    });
  });

  describe('ids of new records', () => {
    /** 50 requests, opened in turn by the owner's staff and its neighbour's, as an attacker would interleave them. */
    let ids: string[];

    beforeAll(async () => {
      ids = [];
      const openers: [Caller, string][] = [
        [world.callers.OWNER_STAFF, world.buildings.owner],
        [world.callers.NEIGHBOUR_STAFF, world.buildings.neighbour],
      ];
      for (let index = 0; index < 50; index += 1) {
        const [caller, buildingId] = openers[index % 2]!;
        ids.push(dataOf(await openServiceRequest(graph, caller, { buildingId })).openServiceRequest.id);
      }
    });

    it('are distinct strings of at least 96 random bits', () => {
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24,}$/);
      // A random hex digit is the same in 50 ids one time in 16^49: at least 24 varying digits are 96 random bits.
      // (An ObjectId's 24 digits vary in its counter's last few only: the rest is a timestamp and a per-process value.)
      const varying = ids[0]!.split('').filter((_, position) => new Set(ids.map((id) => id[position])).size > 1);
      expect(varying.length).toBeGreaterThanOrEqual(24);
    });

    it('say nothing of their neighbours: no shared prefix, no small step, no guess within 30 tries', () => {
      for (let index = 1; index < ids.length; index += 1) {
        const [previous, next] = [ids[index - 1]!, ids[index]!];
        const sharedPrefix = next.split('').findIndex((digit, position) => previous[position] !== digit);
        // Random ids share 4+ leading hex digits one time in 65,536; an ObjectId shares its 8 timestamp digits.
        expect(sharedPrefix).toBeLessThan(4);
        const step = BigInt(`0x${next}`) - BigInt(`0x${previous}`);
        expect(step < 0n ? -step : step).toBeGreaterThan(2n ** 64n);
      }
      // The attack that found another landlord's request: the 30 ids after one's own.
      const neighbourIds = ids.filter((_, index) => index % 2 === 1);
      const ownerIds = new Set(ids.filter((_, index) => index % 2 === 0));
      for (const own of neighbourIds) {
        const width = own.length;
        for (let offset = 1n; offset <= 30n; offset += 1n) {
          const guess = (BigInt(`0x${own}`) + offset).toString(16).padStart(width, '0');
          expect(ownerIds.has(guess)).toBe(false);
        }
      }
    });
  });
});
