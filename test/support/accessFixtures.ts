import type { Caller } from '../../lib/auth/caller';
import type { SubgraphName } from '../../subgraphs/shared/subgraphDefinition';
import { actionAfter, coOrganised, coordinatorOf, partnerStaff, scheduledAction, staffOf } from './actionsFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from './housingFixtures';
import { registerPartner } from './partnersFixtures';
import { openServiceRequest } from './tenancyFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes } from './testGraph';

/**
 * One small world for the access-matrix suites (test/access), created through the graph's own mutations: Le Mirail,
 * where the owner landlord and its neighbour have stock, and Bellefontaine next door, with an outsider landlord; a
 * coordinator and a partner for each district. Every private record of the owner carries a recognisable value
 * (OWNER_SECRETS) so that a test can tell whether any response, anywhere, gave it away.
 */

/** The eight callers of the matrix, named by their relation to the owner landlord and its district, Le Mirail. */
export const ROLES = [
  'ADMIN',
  /** Staff of the landlord owning the private records. */
  'OWNER_STAFF',
  /** Staff of another landlord of Le Mirail. */
  'NEIGHBOUR_STAFF',
  /** Staff of a landlord of Bellefontaine only. */
  'OUTSIDER_STAFF',
  /** Coordinator of Le Mirail. */
  'COORDINATOR',
  /** Coordinator of Bellefontaine. */
  'OTHER_COORDINATOR',
  /** The régie de quartier serving Le Mirail (and taking part in the owner's actions). */
  'PARTNER',
  /** An association serving Bellefontaine only. */
  'OTHER_PARTNER',
] as const;

export type RoleName = (typeof ROLES)[number];

/**
 * What a case expects: it works; a list comes back without the protected items; the record is unknown to the caller
 * (a read answers null without an error, as for a record that does not exist; a write NOT_FOUND); or it is refused
 * with `code`.
 */
export type Expectation = 'allowed' | 'filtered' | 'unknown' | { code: 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'NOT_FOUND' };

/** One expectation per role, in the order of ROLES: a row of the matrix. */
export type RoleRow = readonly [Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation];

export const ok = 'allowed' as const;
export const EMPTY = 'filtered' as const;
/** The caller may not know the record exists: it answers as one that does not (see the existence rule in access.ts). */
export const UNKNOWN = 'unknown' as const;
export const FORBIDDEN = { code: 'FORBIDDEN' } as const;
export const BAD_INPUT = { code: 'BAD_USER_INPUT' } as const;

/** Rows both matrices use: the administrators alone; the owning landlord's staff and administrators. */
export const ADMIN_ONLY: RoleRow = [ok, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];
export const OWNER_ONLY: RoleRow = [ok, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];

/** Where an operation is sent: the gateway, or one subgraph directly, past the gateway. */
export type Target = 'gateway' | SubgraphName;

export type Variables = Record<string, unknown>;

/**
 * Private values of the owner: no response to anyone but the owner's staff and admins may contain them, except its
 * cost share, which the district's coordinator reads too.
 */
export const OWNER_SECRETS = {
  contactName: 'Aïcha Benali',
  phone: '05 61 40 12 34',
  requestDescription: "Fuite d'eau sous l'évier, chez Mme Benali au 3e",
  rentCents: 52_137,
  costShareCents: 123_457,
  /** A line of the owner's TFPB programme: its detail is the owner's; the district's landlords see totals only. */
  tfpbLine: 'Renfort gardiennage tour Messager',
  tfpbLineSpentCents: 123_400,
} as const;

/** The same values as they appear in a JSON response, with who may read them besides the owner's staff and admins. */
const OWNER_SECRET_TEXTS: readonly { text: string; alsoReadBy: readonly RoleName[] }[] = [
  { text: OWNER_SECRETS.contactName, alsoReadBy: [] },
  { text: OWNER_SECRETS.phone, alsoReadBy: [] },
  { text: OWNER_SECRETS.requestDescription, alsoReadBy: [] },
  { text: `"rentCents":${OWNER_SECRETS.rentCents}`, alsoReadBy: [] },
  { text: `"amountCents":${OWNER_SECRETS.costShareCents}`, alsoReadBy: ['COORDINATOR'] },
  { text: OWNER_SECRETS.tfpbLine, alsoReadBy: ['COORDINATOR'] },
];

export interface AccessWorld {
  mirail: string;
  bellefontaine: string;
  landlords: { owner: string; neighbour: string; outsider: string };
  partners: { regie: string; association: string };
  buildings: { owner: string; neighbour: string; outsider: string };
  /** `owner` is rented and occupied; `spare` is the owner's second dwelling, for writes. */
  dwellings: { owner: string; spare: string; neighbour: string; outsider: string };
  households: { owner: string; neighbour: string };
  /** `owner` carries the description; `dated` is the owner's request opened at DATED_REQUEST_OPENED_AT. */
  requests: { owner: string; dated: string; neighbour: string };
  actions: {
    /** Proposed by the owner alone, with the régie, at the owner's building, its share OWNER_SECRETS.costShareCents. */
    owner: string;
    /** Proposed by the owner, the neighbour invited and accepting: both are organisers. */
    joint: string;
    /** Proposed by the owner, which invited the neighbour: the invitation is pending. */
    inviting: string;
    /** The owner's completed action of 2025, which its TFPB report counts. */
    done: string;
  };
  agreement: string;
  callers: Record<RoleName, Caller>;
  /** The `sub` of who created each record, as admins read it in `audit.createdBy`. */
  creators: { housing: string; request: string; household: string; action: string; partners: string };
}

/** When the owner's second request was opened: stats must not let others find such an instant. */
export const DATED_REQUEST_OPENED_AT = '2025-03-14T10:00:00.000Z';
export const DONE_ACTION_COST_CENTS = 50_000;
export const TFPB_YEAR = 2025;
export const SURVEY = {
  year: 2024,
  /** OVERALL is shared; INFORMATION has too few respondents for its rate to be shown. */
  scores: [
    { theme: 'OVERALL', respondents: 40, satisfied: 30 },
    { theme: 'INFORMATION', respondents: 9, satisfied: 7 },
  ],
} as const;

async function registerRentedDwellings(
  graph: TestGraph,
  buildingId: string,
  dwellings: readonly { reference: string; rentCents: number }[],
): Promise<string[]> {
  const response = await graph.request<{ registerDwellings: { id: string }[] }>(
    'mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
    { caller: TEST_ADMIN, variables: { buildingId, dwellings: dwellings.map((dwelling) => ({ ...dwelling, rooms: 3 })) } },
  );
  return dataOf(response).registerDwellings.map((dwelling) => dwelling.id);
}

async function registerHousehold(graph: TestGraph, caller: Caller, input: Variables): Promise<string> {
  const response = await graph.request<{ registerHousehold: { id: string } }>(
    'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }',
    { caller, variables: { input } },
  );
  return dataOf(response).registerHousehold.id;
}

export async function seedAccessWorld(graph: TestGraph): Promise<AccessWorld> {
  const mirail = await registerDistrict(graph, 'Le Mirail');
  const bellefontaine = await registerDistrict(graph, 'Bellefontaine');
  const landlords = {
    owner: await registerLandlord(graph, 'Groupe des Chalets'),
    neighbour: await registerLandlord(graph, 'Patrimoine SA Languedocienne'),
    outsider: await registerLandlord(graph, 'Habitat Voisin'),
  };
  const buildings = {
    owner: await registerBuilding(graph, landlords.owner, mirail, 'de la Reynerie'),
    neighbour: await registerBuilding(graph, landlords.neighbour, mirail, 'du Tintoret'),
    outsider: await registerBuilding(graph, landlords.outsider, bellefontaine, 'de Kiev'),
  };
  const [owner, spare] = await registerRentedDwellings(graph, buildings.owner, [
    { reference: 'GDC-1', rentCents: OWNER_SECRETS.rentCents },
    { reference: 'GDC-2', rentCents: 61_000 },
  ]);
  const [neighbourDwelling] = await registerRentedDwellings(graph, buildings.neighbour, [{ reference: 'PSL-1', rentCents: 48_000 }]);
  const [outsiderDwelling] = await registerRentedDwellings(graph, buildings.outsider, [{ reference: 'HV-1', rentCents: 45_000 }]);
  const dwellings = { owner: owner!, spare: spare!, neighbour: neighbourDwelling!, outsider: outsiderDwelling! };

  const partners = {
    regie: await registerPartner(graph, {
      name: 'Régie de quartier Reynerie Services',
      kind: 'NEIGHBOURHOOD_BOARD',
      cnlrqLabel: true,
      services: ['CLEANING', 'GROCERY_DELIVERY'],
      districtIds: [mirail],
    }),
    association: await registerPartner(graph, {
      name: 'Les Jardins de Bellefontaine',
      kind: 'ASSOCIATION',
      services: ['GREEN_SPACES'],
      districtIds: [bellefontaine],
    }),
  };
  const callers: Record<RoleName, Caller> = {
    ADMIN: TEST_ADMIN,
    OWNER_STAFF: staffOf(landlords.owner),
    NEIGHBOUR_STAFF: staffOf(landlords.neighbour),
    OUTSIDER_STAFF: staffOf(landlords.outsider),
    COORDINATOR: coordinatorOf(mirail),
    OTHER_COORDINATOR: coordinatorOf(bellefontaine),
    PARTNER: partnerStaff(partners.regie),
    OTHER_PARTNER: partnerStaff(partners.association),
  };
  const ownerStaff = callers.OWNER_STAFF;

  const households = {
    owner: await registerHousehold(graph, ownerStaff, {
      dwellingId: dwellings.owner,
      since: '2019-09-01',
      size: 1,
      contactName: OWNER_SECRETS.contactName,
      phone: OWNER_SECRETS.phone,
      vulnerable: true,
    }),
    neighbour: await registerHousehold(graph, callers.NEIGHBOUR_STAFF, { dwellingId: dwellings.neighbour, since: '2021-03-01', size: 4 }),
  };
  const requests = {
    owner: dataOf(
      await openServiceRequest(graph, ownerStaff, {
        buildingId: buildings.owner,
        dwellingId: dwellings.owner,
        category: 'PLUMBING_LEAK',
        description: OWNER_SECRETS.requestDescription,
      }),
    ).openServiceRequest.id,
    dated: dataOf(
      await openServiceRequest(graph, ownerStaff, {
        buildingId: buildings.owner,
        category: 'NEIGHBOUR_NUISANCE',
        openedAt: DATED_REQUEST_OPENED_AT,
      }),
    ).openServiceRequest.id,
    neighbour: dataOf(await openServiceRequest(graph, callers.NEIGHBOUR_STAFF, { buildingId: buildings.neighbour, category: 'LIFT' }))
      .openServiceRequest.id,
  };

  const ownerAction = await actionAfter(graph, 'proposeAction', ownerStaff, {
    input: {
      districtId: mirail,
      title: 'Nettoyage de printemps',
      kind: 'CLEAN_UP',
      tfpbAxis: 'EXTRA_MAINTENANCE',
      buildingIds: [buildings.owner],
      partnerIds: [partners.regie],
      costShareCents: OWNER_SECRETS.costShareCents,
    },
  });
  const proposedJoint = await actionAfter(graph, 'proposeAction', ownerStaff, {
    input: { districtId: mirail, title: 'Fête des voisins', kind: 'SOCIAL_EVENT', costShareCents: 20_000 },
  });
  const joint = await coOrganised(graph, proposedJoint, landlords.neighbour, 10_000);
  const proposedInviting = await actionAfter(graph, 'proposeAction', ownerStaff, {
    input: { districtId: mirail, title: 'Atelier compost', kind: 'GARDENING', costShareCents: 30_000 },
  });
  const inviting = await actionAfter(graph, 'inviteToAction', ownerStaff, {
    id: proposedInviting.id,
    landlordId: landlords.neighbour,
    expectedVersion: proposedInviting.version,
  });
  const scheduled = await scheduledAction(graph, landlords.owner, {
    districtId: mirail,
    title: 'Journée encombrants',
    kind: 'BULKY_WASTE_DAY',
    tfpbAxis: 'WASTE_AND_BULKY_ITEMS',
    costShareCents: DONE_ACTION_COST_CENTS,
  });
  const done = await actionAfter(graph, 'completeAction', ownerStaff, {
    id: scheduled.id,
    expectedVersion: scheduled.version,
    outcome: { participants: 35, completedAt: '2025-06-14T12:00:00Z' },
  });
  dataOf(
    await graph.request(
      'mutation ($scope: TfpbScopeInput!, $entry: TfpbEntryInput!) { addTfpbEntry(scope: $scope, entry: $entry, expectedVersion: 0) { version } }',
      {
        caller: ownerStaff,
        variables: {
          scope: { districtId: mirail, year: TFPB_YEAR },
          entry: { axis: 'PROXIMITY_STAFF', label: OWNER_SECRETS.tfpbLine, spentCents: OWNER_SECRETS.tfpbLineSpentCents },
        },
      },
    ),
  );

  dataOf(
    await graph.request('mutation ($input: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $input) { year } }', {
      caller: ownerStaff,
      variables: { input: { landlordId: landlords.owner, districtId: mirail, ...SURVEY } },
    }),
  );
  const agreement = dataOf(
    await graph.request<{ signAgreement: { id: string } }>(
      'mutation ($input: SignAgreementInput!) { signAgreement(input: $input) { id } }',
      {
        caller: TEST_ADMIN,
        variables: {
          input: {
            partnerId: partners.regie,
            districtId: mirail,
            landlordIds: [landlords.owner],
            kind: 'CONVENTION',
            services: ['CLEANING'],
            validFrom: '2025-01-01',
          },
        },
      },
    ),
  ).signAgreement.id;

  return {
    mirail,
    bellefontaine,
    landlords,
    partners,
    buildings,
    dwellings,
    households,
    requests,
    actions: { owner: ownerAction.id, joint: joint.id, inviting: inviting.id, done: done.id },
    agreement,
    callers,
    creators: {
      housing: TEST_ADMIN.sub,
      request: ownerStaff.sub,
      household: ownerStaff.sub,
      action: ownerStaff.sub,
      partners: TEST_ADMIN.sub,
    },
  };
}

/** Sends `query` to `target` as `caller`, past the gateway when the target is a subgraph. */
export function sendTo(
  graph: TestGraph,
  target: Target,
  query: string,
  caller: Caller,
  variables: Variables = {},
): Promise<GraphQLResponse> {
  return graph.request(query, { caller, variables, url: target === 'gateway' ? undefined : graph.subgraphUrls[target] });
}

/** A federation `_entities` query for one representation, as the gateway sends a subgraph. */
export function entitiesQuery(typename: string, selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
}

export function representation(typename: string, id: string): Variables {
  return { representations: [{ __typename: typename, id }] };
}

/** The codes of a response's errors, without repeats: a refused list item and its siblings share one cause. */
export function distinctCodes(response: GraphQLResponse<unknown>): string[] {
  return [...new Set(errorCodes(response).map((code) => code ?? 'NO_CODE'))];
}

/** Names in each district's shared data, which no one outside the district's cooperation may read. */
const DISTRICT_NAMES = {
  mirail: [
    'Le Mirail',
    'Régie de quartier Reynerie Services',
    'de la Reynerie',
    'du Tintoret',
    'Nettoyage de printemps',
    'Fête des voisins',
    'Atelier compost',
  ],
  bellefontaine: ['Bellefontaine', 'de Kiev'],
} as const;

const OUTSIDE_ROLES: readonly RoleName[] = ['OUTSIDER_STAFF', 'OTHER_COORDINATOR', 'OTHER_PARTNER'];

/**
 * What a response to `role` shows that `role` may not read, anywhere in it (data, error messages): the owner's
 * private values, and the names of a district outside the caller's cooperation. Empty when nothing leaked.
 */
export function leaksIn(response: GraphQLResponse<unknown>, role: RoleName): string[] {
  if (role === 'ADMIN') return [];
  const text = JSON.stringify({ data: response.data, errors: response.errors });
  const forbidden = [
    ...OWNER_SECRET_TEXTS.filter((secret) => role !== 'OWNER_STAFF' && !secret.alsoReadBy.includes(role)).map((secret) => secret.text),
    ...(OUTSIDE_ROLES.includes(role) ? DISTRICT_NAMES.mirail : DISTRICT_NAMES.bellefontaine),
  ];
  return forbidden.filter((secret) => text.includes(secret));
}

/** Expands matrix rows into one case per role, named so that a failure reads as a sentence. */
export function casesOf<TRow extends { name: string; expect: RoleRow }>(
  rows: readonly TRow[],
): (TRow & { role: RoleName; expected: Expectation; title: string })[] {
  return rows.flatMap((row) =>
    ROLES.map((role, index) => {
      const expected = row.expect[index]!;
      return { ...row, role, expected, title: `${row.name} as ${role}: ${describeExpectation(expected)}` };
    }),
  );
}

function describeExpectation(expected: Expectation): string {
  if (expected === 'allowed') return 'allowed';
  if (expected === 'filtered') return 'filtered out';
  if (expected === 'unknown') return 'unknown, as if it did not exist';
  return expected.code;
}
