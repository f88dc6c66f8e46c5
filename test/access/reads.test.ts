import {
  type AccessWorld,
  DATED_REQUEST_OPENED_AT,
  DONE_ACTION_COST_CENTS,
  EMPTY,
  FORBIDDEN,
  OWNER_SECRETS,
  type RoleName,
  type RoleRow,
  SURVEY,
  type Target,
  TFPB_YEAR,
  UNKNOWN,
  type Variables,
  casesOf,
  distinctCodes,
  entitiesQuery,
  leaksIn,
  ok,
  representation,
  seedAccessWorld,
  sendTo,
} from '../support/accessFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';

/**
 * Who reads what (api-contract "Who may do what", domain "What may be shared"), as one matrix: every shared and
 * private field, read by each of the eight callers, through the gateway and sent straight to the subgraph that
 * resolves it (as a root field and as an `_entities` representation, the way the gateway asks). Allowed reads give
 * the value; a record the caller may not know exists is null without an error, as a missing one; a refused field of
 * a record the caller may know of is null with FORBIDDEN; a list keeps only what the caller may see. Whatever the
 * outcome, no response (data or error message) contains one of the owner's private values, unless it goes to the
 * owner's staff or an admin, nor a name of the other district's shared data (see `leaksIn`).
 */

/** A response's data, shaped by the query each row sends: read with optional chaining, compared with toEqual. */
type Json = any;

interface ReadForm {
  target: Target;
  /** How the form reads, for the case name: a root field or an `_entities` representation. */
  via: string;
  query: string;
  variables: (world: AccessWorld) => Variables;
  /** The object the read is about, in this form's response. */
  root: (data: Json) => Json;
  /** This form's own way to find the protected value in the root, when it differs from the operation's. */
  reveal?: (root: Json) => unknown;
  expect: RoleRow;
}

interface ReadOperation {
  name: string;
  /** The protected value, found in the object read (null, undefined or [] when the caller got none of it). */
  reveal: (root: Json, world: AccessWorld) => unknown;
  /** What an allowed caller reads (aggregates under the small-cells rule: exact for some callers, withheld for others). */
  value: (world: AccessWorld, role: RoleName) => unknown;
  forms: readonly ReadForm[];
}

/** `field(id: $id) { selection }`, a root field of the gateway or of a subgraph. */
function rootField(target: Target, field: string, selection: string, idOf: (world: AccessWorld) => string, expect: RoleRow): ReadForm {
  return {
    target,
    via: `${target} ${field}()`,
    query: `query ($id: ID!) { ${field}(id: $id) { ${selection} } }`,
    variables: (world) => ({ id: idOf(world) }),
    root: (data) => data?.[field],
    expect,
  };
}

/** The same read as the gateway would ask it of `target`: one entity representation. */
function entity(target: Target, typename: string, selection: string, idOf: (world: AccessWorld) => string, expect: RoleRow): ReadForm {
  return {
    target,
    via: `${target} _entities(${typename})`,
    query: entitiesQuery(typename, selection),
    variables: (world) => representation(typename, idOf(world)),
    root: (data) => data?._entities?.[0],
    expect,
  };
}

const ids = (records: readonly { id: string }[] | null | undefined): string[] | undefined => records?.map((record) => record.id).sort();
const idsOf = (connection: Json): string[] | undefined => ids(connection?.nodes);
const sorted = (values: readonly string[]) => [...values].sort();
const byId = <T extends { id: string }>(records: readonly T[] | null | undefined): T[] | null | undefined =>
  records && [...records].sort((a, b) => a.id.localeCompare(b.id));

// Columns, in the order of ROLES:
//                 ADMIN  OWNER_STAFF NEIGHBOUR_STAFF OUTSIDER_STAFF COORDINATOR OTHER_COORDINATOR PARTNER    OTHER_PARTNER
const U = UNKNOWN;
const F = FORBIDDEN;
/** Shared data of Le Mirail: its members read it; to others it is unknown, as if it did not exist. */
const IN_DISTRICT: RoleRow = [ok, ok, ok, U, ok, U, ok, U];
/** A list of Le Mirail's shared data: its members read it, others get it without Le Mirail's items. */
const IN_DISTRICT_LIST: RoleRow = [ok, ok, ok, EMPTY, ok, EMPTY, ok, EMPTY];
/** A private list in a shared record: empty for the district's other members, the record unknown outside it. */
const OWNER_LIST_IN_DISTRICT: RoleRow = [ok, ok, EMPTY, U, EMPTY, U, EMPTY, U];
/** A private field of a shared record: refused to the district's other members, the record unknown outside it. */
const OWNER_FIELD_IN_DISTRICT: RoleRow = [ok, ok, F, U, F, U, F, U];
/** A private record (a household, a request): unknown to all but its landlord's staff and admins. */
const PRIVATE_RECORD: RoleRow = [ok, ok, U, U, U, U, U, U];
/** The audit trail of a shared record: admins only; the record itself unknown outside the district. */
const AUDIT_IN_DISTRICT: RoleRow = [ok, F, F, U, F, U, F, U];
/** The audit trail of a private record: admins only; the record itself unknown to all but its landlord's staff. */
const AUDIT_OF_PRIVATE: RoleRow = [ok, F, U, U, U, U, U, U];
/** What the organisers of an action (here the owner alone) and Le Mirail's coordinator read: refused to the
 * district's other members, the action unknown outside it. */
const ORGANISERS_AND_COORDINATOR: RoleRow = [ok, ok, F, U, ok, U, F, U];

const SHARED: readonly ReadOperation[] = [
  {
    name: 'district(id)',
    reveal: (district) => district?.name,
    value: () => 'Le Mirail',
    forms: [
      rootField('gateway', 'district', 'name', (w) => w.mirail, IN_DISTRICT),
      rootField('housing', 'district', 'name', (w) => w.mirail, IN_DISTRICT),
      entity('housing', 'District', 'name', (w) => w.mirail, IN_DISTRICT),
    ],
  },
  {
    name: 'districts',
    reveal: (districts, w) => ids(districts)?.filter((id) => id === w.mirail),
    value: (w) => [w.mirail],
    forms: (['gateway', 'housing'] as const).map((target) => ({
      target,
      via: `${target} districts`,
      query: 'query { districts { id } }',
      variables: () => ({}),
      root: (data: Json) => data?.districts,
      expect: IN_DISTRICT_LIST,
    })),
  },
  {
    name: 'District.buildings',
    reveal: (district) => idsOf(district?.buildings),
    value: (w) => sorted([w.buildings.owner, w.buildings.neighbour]),
    forms: [
      rootField('gateway', 'district', 'buildings { nodes { id } }', (w) => w.mirail, IN_DISTRICT),
      rootField('housing', 'district', 'buildings { nodes { id } }', (w) => w.mirail, IN_DISTRICT),
      entity('housing', 'District', 'buildings { nodes { id } }', (w) => w.mirail, IN_DISTRICT),
    ],
  },
  {
    name: 'Landlord.buildings',
    reveal: (landlord) => idsOf(landlord?.buildings),
    value: (w) => [w.buildings.owner],
    forms: [
      rootField('gateway', 'landlord', 'buildings { nodes { id } }', (w) => w.landlords.owner, IN_DISTRICT),
      rootField('housing', 'landlord', 'buildings { nodes { id } }', (w) => w.landlords.owner, IN_DISTRICT),
      entity('housing', 'Landlord', 'buildings { nodes { id } }', (w) => w.landlords.owner, IN_DISTRICT),
    ],
  },
  {
    name: 'District.stock',
    reveal: (district) => district?.stock,
    value: () => ({ buildings: 2, dwellings: 3 }),
    forms: [
      rootField('gateway', 'district', 'stock { buildings dwellings }', (w) => w.mirail, IN_DISTRICT),
      entity('housing', 'District', 'stock { buildings dwellings }', (w) => w.mirail, IN_DISTRICT),
    ],
  },
  {
    // Three requests: exact for admins, a small cell for everyone else (the owner's two are not all of them).
    name: 'District.requestStats',
    reveal: (district) => district?.requestStats,
    value: (_, role) =>
      role === 'ADMIN' ? { disclosure: 'EXACT', total: 3, open: 3 } : { disclosure: 'WITHHELD_SMALL_CELL', total: null, open: null },
    forms: [
      rootField('gateway', 'district', 'requestStats { disclosure total open }', (w) => w.mirail, IN_DISTRICT),
      entity('tenancy', 'District', 'requestStats { disclosure total open }', (w) => w.mirail, IN_DISTRICT),
    ],
  },
  {
    // The owner's two requests: exact for the owner and admins, a small cell for the district's other members.
    name: 'Building.requestStats',
    reveal: (building) => building?.requestStats,
    value: (_, role) =>
      role === 'ADMIN' || role === 'OWNER_STAFF'
        ? { disclosure: 'EXACT', total: 2, open: 2 }
        : { disclosure: 'WITHHELD_SMALL_CELL', total: null, open: null },
    forms: [
      rootField('gateway', 'building', 'requestStats { disclosure total open }', (w) => w.buildings.owner, IN_DISTRICT),
      entity('tenancy', 'Building', 'requestStats { disclosure total open }', (w) => w.buildings.owner, IN_DISTRICT),
    ],
  },
  {
    name: 'District.actions',
    reveal: (district) => ids(district?.actions),
    value: (w) => sorted(Object.values(w.actions)),
    forms: [
      rootField('gateway', 'district', 'actions { id }', (w) => w.mirail, IN_DISTRICT),
      entity('actions', 'District', 'actions { id }', (w) => w.mirail, IN_DISTRICT_LIST),
    ],
  },
  {
    name: 'action(id)',
    reveal: (action) => action?.title,
    value: () => 'Nettoyage de printemps',
    forms: [
      rootField('gateway', 'action', 'title', (w) => w.actions.owner, IN_DISTRICT),
      rootField('actions', 'action', 'title', (w) => w.actions.owner, IN_DISTRICT),
      entity('actions', 'NeighbourhoodAction', 'title', (w) => w.actions.owner, IN_DISTRICT),
    ],
  },
  {
    name: 'NeighbourhoodAction.leadOrganiser',
    reveal: (action) => action?.leadOrganiser,
    value: (w) => ({ id: w.landlords.owner }),
    forms: [
      rootField('gateway', 'action', 'leadOrganiser { id }', (w) => w.actions.joint, IN_DISTRICT),
      rootField('actions', 'action', 'leadOrganiser { id }', (w) => w.actions.joint, IN_DISTRICT),
      entity('actions', 'NeighbourhoodAction', 'leadOrganiser { id }', (w) => w.actions.joint, IN_DISTRICT),
    ],
  },
  {
    name: 'Building.actions',
    reveal: (building) => ids(building?.actions),
    value: (w) => [w.actions.owner],
    forms: [
      rootField('gateway', 'building', 'actions { id }', (w) => w.buildings.owner, IN_DISTRICT),
      entity('actions', 'Building', 'actions { id }', (w) => w.buildings.owner, IN_DISTRICT_LIST),
    ],
  },
  {
    name: 'Landlord.actions',
    reveal: (landlord) => ids(landlord?.actions),
    value: (w) => sorted(Object.values(w.actions)),
    forms: [
      rootField('gateway', 'landlord', 'actions { id }', (w) => w.landlords.owner, IN_DISTRICT),
      entity('actions', 'Landlord', 'actions { id }', (w) => w.landlords.owner, IN_DISTRICT_LIST),
    ],
  },
  {
    name: 'Partner.actions',
    reveal: (partner) => ids(partner?.actions),
    value: (w) => [w.actions.owner],
    forms: [
      rootField('gateway', 'partner', 'actions { id }', (w) => w.partners.regie, IN_DISTRICT),
      entity('actions', 'Partner', 'actions { id }', (w) => w.partners.regie, IN_DISTRICT_LIST),
    ],
  },
  {
    name: 'District.partners',
    reveal: (district) => ids(district?.partners),
    value: (w) => [w.partners.regie],
    forms: [
      rootField('gateway', 'district', 'partners { id }', (w) => w.mirail, IN_DISTRICT),
      entity('partners', 'District', 'partners { id }', (w) => w.mirail, IN_DISTRICT_LIST),
    ],
  },
  {
    name: 'partners(districtId)',
    reveal: (partners) => ids(partners),
    value: (w) => [w.partners.regie],
    forms: (['gateway', 'partners'] as const).map((target) => ({
      target,
      via: `${target} partners(districtId)`,
      query: 'query ($districtId: ID!) { partners(districtId: $districtId) { id } }',
      variables: (w: AccessWorld) => ({ districtId: w.mirail }),
      root: (data: Json) => data?.partners,
      expect: IN_DISTRICT_LIST,
    })),
  },
  {
    name: 'partner(id)',
    reveal: (partner) => partner?.name,
    value: () => 'Régie de quartier Reynerie Services',
    forms: [
      rootField('gateway', 'partner', 'name', (w) => w.partners.regie, IN_DISTRICT),
      rootField('partners', 'partner', 'name', (w) => w.partners.regie, IN_DISTRICT),
      entity('partners', 'Partner', 'name', (w) => w.partners.regie, IN_DISTRICT),
    ],
  },
  {
    name: 'Landlord.agreements',
    reveal: (landlord) => ids(landlord?.agreements),
    value: (w) => [w.agreement],
    forms: [
      rootField('gateway', 'landlord', 'agreements { id }', (w) => w.landlords.owner, IN_DISTRICT),
      entity('partners', 'Landlord', 'agreements { id }', (w) => w.landlords.owner, IN_DISTRICT_LIST),
    ],
  },
];

/**
 * Two windows of request stats, one minute apart around the instant the owner's dated request was opened: their
 * difference singles that request out (and, with its category and service levels, tells its story).
 */
const AROUND_THE_DATED_REQUEST = `before: requestStats(since: "${minutesFrom(DATED_REQUEST_OPENED_AT, -1)}") { total }
  after: requestStats(since: "${minutesFrom(DATED_REQUEST_OPENED_AT, 1)}") { total }`;

function minutesFrom(instant: string, minutes: number): string {
  return new Date(Date.parse(instant) + minutes * 60_000).toISOString();
}

/** How many requests the two windows single out: null when they count the same. */
const singledOut = (record: Json) => (record ? record.before.total - record.after.total || null : null);

// Columns, in the order of ROLES:
//                 ADMIN  OWNER_STAFF NEIGHBOUR_STAFF OUTSIDER_STAFF COORDINATOR OTHER_COORDINATOR PARTNER    OTHER_PARTNER
/** Aggregates shared with the district must not give away what they aggregate. */
const AGGREGATES: readonly ReadOperation[] = [
  {
    // The withheld rate is part of the value: under 11 respondents only the survey's landlord and admins read it.
    name: 'District.satisfaction',
    reveal: (district) => district?.satisfaction,
    value: (_, role) => {
      const exact = role === 'ADMIN' || role === 'OWNER_STAFF';
      return [
        {
          year: SURVEY.year,
          themes: [
            { theme: 'OVERALL', respondents: 40, satisfiedRate: 0.75, disclosure: exact ? 'EXACT' : 'PUBLISHED' },
            exact
              ? { theme: 'INFORMATION', respondents: 9, satisfiedRate: 7 / 9, disclosure: 'EXACT' }
              : { theme: 'INFORMATION', respondents: 9, satisfiedRate: null, disclosure: 'WITHHELD_SMALL_CELL' },
          ],
        },
      ];
    },
    forms: [
      rootField(
        'gateway',
        'district',
        'satisfaction { year themes { theme respondents satisfiedRate disclosure } }',
        (w) => w.mirail,
        IN_DISTRICT,
      ),
      entity(
        'tenancy',
        'District',
        'satisfaction { year themes { theme respondents satisfiedRate disclosure } }',
        (w) => w.mirail,
        IN_DISTRICT,
      ),
    ],
  },
  {
    // Shared stats are fixed cells: other callers' windows start on 1 January of the year asked.
    name: "Building.requestStats(since) singling out one of the owner's requests",
    reveal: singledOut,
    value: () => 1,
    forms: [
      rootField('gateway', 'building', AROUND_THE_DATED_REQUEST, (w) => w.buildings.owner, OWNER_LIST_IN_DISTRICT),
      entity('tenancy', 'Building', AROUND_THE_DATED_REQUEST, (w) => w.buildings.owner, OWNER_LIST_IN_DISTRICT),
    ],
  },
  {
    // A district's stats count every landlord's requests: only admins own them all.
    name: "District.requestStats(since) singling out one of the owner's requests",
    reveal: singledOut,
    value: () => 1,
    forms: [
      rootField('gateway', 'district', AROUND_THE_DATED_REQUEST, (w) => w.mirail, [ok, EMPTY, EMPTY, U, EMPTY, U, EMPTY, U]),
      entity('tenancy', 'District', AROUND_THE_DATED_REQUEST, (w) => w.mirail, [ok, EMPTY, EMPTY, U, EMPTY, U, EMPTY, U]),
    ],
  },
];

const HOUSEHOLD_FIELDS = 'contactName phone size vulnerable since';
const ownerHousehold = {
  contactName: OWNER_SECRETS.contactName,
  phone: OWNER_SECRETS.phone,
  size: 1,
  vulnerable: true,
  since: '2019-09-01',
};

const PRIVATE: readonly ReadOperation[] = [
  {
    name: 'Dwelling.household',
    reveal: (dwelling) => dwelling?.household,
    value: () => ownerHousehold,
    forms: [
      rootField('gateway', 'dwelling', `household { ${HOUSEHOLD_FIELDS} }`, (w) => w.dwellings.owner, OWNER_FIELD_IN_DISTRICT),
      entity('tenancy', 'Dwelling', `household { ${HOUSEHOLD_FIELDS} }`, (w) => w.dwellings.owner, OWNER_FIELD_IN_DISTRICT),
    ],
  },
  {
    name: 'household(id)',
    reveal: (household) => household,
    value: () => ownerHousehold,
    forms: [
      rootField('gateway', 'household', HOUSEHOLD_FIELDS, (w) => w.households.owner, PRIVATE_RECORD),
      rootField('tenancy', 'household', HOUSEHOLD_FIELDS, (w) => w.households.owner, PRIVATE_RECORD),
      entity('tenancy', 'Household', HOUSEHOLD_FIELDS, (w) => w.households.owner, PRIVATE_RECORD),
    ],
  },
  {
    name: 'serviceRequest(id)',
    reveal: (request) => request,
    value: () => ({ category: 'PLUMBING_LEAK', description: OWNER_SECRETS.requestDescription }),
    forms: [
      rootField('gateway', 'serviceRequest', 'category description', (w) => w.requests.owner, PRIVATE_RECORD),
      rootField('tenancy', 'serviceRequest', 'category description', (w) => w.requests.owner, PRIVATE_RECORD),
      entity('tenancy', 'ServiceRequest', 'category description', (w) => w.requests.owner, PRIVATE_RECORD),
    ],
  },
  {
    name: 'Building.requests',
    // Pages run in id order, and ids are random: compared as sets.
    reveal: (building) => byId(building?.requests?.nodes),
    value: (w) =>
      byId([
        { id: w.requests.owner, description: OWNER_SECRETS.requestDescription },
        { id: w.requests.dated, description: null },
      ]),
    forms: [
      rootField('gateway', 'building', 'requests { nodes { id description } }', (w) => w.buildings.owner, OWNER_LIST_IN_DISTRICT),
      entity('tenancy', 'Building', 'requests { nodes { id description } }', (w) => w.buildings.owner, OWNER_LIST_IN_DISTRICT),
    ],
  },
  {
    name: 'Dwelling.rentCents',
    reveal: (dwelling) => dwelling?.rentCents,
    value: () => OWNER_SECRETS.rentCents,
    forms: [
      rootField('gateway', 'dwelling', 'rentCents', (w) => w.dwellings.owner, OWNER_FIELD_IN_DISTRICT),
      rootField('housing', 'dwelling', 'rentCents', (w) => w.dwellings.owner, OWNER_FIELD_IN_DISTRICT),
      entity('housing', 'Dwelling', 'rentCents', (w) => w.dwellings.owner, OWNER_FIELD_IN_DISTRICT),
    ],
  },
  {
    // The neighbour, a landlord of Le Mirail that organises nothing here, is refused: the finding of issue 11.
    name: 'NeighbourhoodAction.costShares of the owner alone',
    reveal: (action) => action?.costShares,
    value: (w) => [{ landlord: { id: w.landlords.owner }, amountCents: OWNER_SECRETS.costShareCents }],
    forms: [
      rootField('gateway', 'action', 'costShares { landlord { id } amountCents }', (w) => w.actions.owner, ORGANISERS_AND_COORDINATOR),
      rootField('actions', 'action', 'costShares { landlord { id } amountCents }', (w) => w.actions.owner, ORGANISERS_AND_COORDINATOR),
      entity(
        'actions',
        'NeighbourhoodAction',
        'costShares { landlord { id } amountCents }',
        (w) => w.actions.owner,
        ORGANISERS_AND_COORDINATOR,
      ),
    ],
  },
  {
    name: 'NeighbourhoodAction.costShares of the owner and the neighbour',
    reveal: (action) => action?.costShares,
    value: (w) => [
      { landlord: { id: w.landlords.owner }, amountCents: 20_000 },
      { landlord: { id: w.landlords.neighbour }, amountCents: 10_000 },
    ],
    forms: (['gateway', 'actions'] as const).map((target) =>
      //                                                   ADMIN OWNER NEIGHBOUR OUTSIDER   COORD  OTHER_COORD PARTNER OTHER_PARTNER
      rootField(target, 'action', 'costShares { landlord { id } amountCents }', (w) => w.actions.joint, [ok, ok, ok, U, ok, U, F, U]),
    ),
  },
  {
    // The owner invited the neighbour: the organisers, the coordinator and the invited landlord see the invitation.
    name: 'NeighbourhoodAction.invitations',
    reveal: (action) => action?.invitations,
    value: (w) => [{ landlord: { id: w.landlords.neighbour }, status: 'PENDING' }],
    forms: [
      //                                                                                     ADMIN OWNER NEIGHBOUR OUTSIDER   COORD OTHER_COORD PARTNER OTHER_PARTNER
      rootField('gateway', 'action', 'invitations { landlord { id } status }', (w) => w.actions.inviting, [ok, ok, ok, U, ok, U, EMPTY, U]),
      rootField('actions', 'action', 'invitations { landlord { id } status }', (w) => w.actions.inviting, [ok, ok, ok, U, ok, U, EMPTY, U]),
      entity('actions', 'NeighbourhoodAction', 'invitations { landlord { id } status }', (w) => w.actions.inviting, [
        ok,
        ok,
        ok,
        U,
        ok,
        U,
        EMPTY,
        U,
      ]),
    ],
  },
  {
    // Where the neighbour's staff find what to answer: theirs (and admins naming the neighbour) only.
    name: 'actionInvitations of the neighbour',
    reveal: (invitations) => invitations,
    value: (w) => [{ status: 'PENDING', action: { id: w.actions.inviting } }],
    forms: (['gateway', 'actions'] as const).map((target) => ({
      target,
      via: `${target} actionInvitations(landlordId)`,
      query: 'query ($landlordId: ID) { actionInvitations(landlordId: $landlordId) { status action { id } } }',
      variables: (w: AccessWorld) => ({ landlordId: w.landlords.neighbour }),
      root: (data: Json) => data?.actionInvitations,
      expect: [ok, FORBIDDEN, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN] as RoleRow,
    })),
  },
  {
    name: 'tfpbReport',
    reveal: (report) => report?.totalCostCents,
    value: () => DONE_ACTION_COST_CENTS,
    forms: (['gateway', 'actions'] as const).map((target) => ({
      target,
      via: `${target} tfpbReport()`,
      query:
        'query ($landlordId: ID!, $districtId: ID!, $year: Int!) { tfpbReport(landlordId: $landlordId, districtId: $districtId, year: $year) { totalCostCents } }',
      variables: (w: AccessWorld) => ({ landlordId: w.landlords.owner, districtId: w.mirail, year: TFPB_YEAR }),
      root: (data: Json) => data?.tfpbReport,
      // The owner's staff, the district's coordinators and admins.
      expect: [ok, ok, FORBIDDEN, FORBIDDEN, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN] as RoleRow,
    })),
  },
  {
    // The detail of a landlord's TFPB programme: its own staff, the district's coordinators and admins.
    name: 'tfpbReport.entries',
    reveal: (report) => report?.entries?.map((entry: Json) => entry.label),
    value: () => [OWNER_SECRETS.tfpbLine],
    forms: (['gateway', 'actions'] as const).map((target) => ({
      target,
      via: `${target} tfpbReport() { entries }`,
      query:
        'query ($landlordId: ID!, $districtId: ID!, $year: Int!) { tfpbReport(landlordId: $landlordId, districtId: $districtId, year: $year) { entries { label spentCents } } }',
      variables: (w: AccessWorld) => ({ landlordId: w.landlords.owner, districtId: w.mirail, year: TFPB_YEAR }),
      root: (data: Json) => data?.tfpbReport,
      expect: [ok, ok, FORBIDDEN, FORBIDDEN, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN] as RoleRow,
    })),
  },
  {
    // The comité de pilotage's table: the district's landlords too, with each landlord's totals by axis only (the
    // owner's line label is checked absent by leaksIn).
    name: 'tfpbDistrictTable',
    reveal: (table) => table?.totalSpentCents,
    value: () => DONE_ACTION_COST_CENTS + OWNER_SECRETS.tfpbLineSpentCents,
    forms: (['gateway', 'actions'] as const).map((target) => ({
      target,
      via: `${target} tfpbDistrictTable()`,
      query:
        'query ($districtId: ID!, $year: Int!) { tfpbDistrictTable(districtId: $districtId, year: $year) { totalSpentCents csv landlords { landlord { id } totalSpentCents axes { axis spentCents } } } }',
      variables: (w: AccessWorld) => ({ districtId: w.mirail, year: TFPB_YEAR }),
      root: (data: Json) => data?.tfpbDistrictTable,
      expect: [ok, ok, ok, FORBIDDEN, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN] as RoleRow,
    })),
  },
];

const AUDIT = 'audit { createdBy }';
const auditOf = (record: Json) => record?.audit?.createdBy;

/** `audit` on every type: admins only, whoever else asks, the record's own landlord included. */
const AUDIT_TRAILS: readonly ReadOperation[] = [
  {
    name: 'Landlord.audit',
    reveal: auditOf,
    value: (w) => w.creators.housing,
    forms: [
      rootField('gateway', 'landlord', AUDIT, (w) => w.landlords.owner, AUDIT_IN_DISTRICT),
      rootField('housing', 'landlord', AUDIT, (w) => w.landlords.owner, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'District.audit',
    reveal: auditOf,
    value: (w) => w.creators.housing,
    forms: [
      rootField('gateway', 'district', AUDIT, (w) => w.mirail, AUDIT_IN_DISTRICT),
      rootField('housing', 'district', AUDIT, (w) => w.mirail, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'Building.audit',
    reveal: auditOf,
    value: (w) => w.creators.housing,
    forms: [
      rootField('gateway', 'building', AUDIT, (w) => w.buildings.owner, AUDIT_IN_DISTRICT),
      rootField('housing', 'building', AUDIT, (w) => w.buildings.owner, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'Dwelling.audit',
    reveal: auditOf,
    value: (w) => w.creators.housing,
    forms: [
      rootField('gateway', 'dwelling', AUDIT, (w) => w.dwellings.owner, AUDIT_IN_DISTRICT),
      rootField('housing', 'dwelling', AUDIT, (w) => w.dwellings.owner, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'ServiceRequest.audit',
    reveal: auditOf,
    value: (w) => w.creators.request,
    forms: [
      rootField('gateway', 'serviceRequest', AUDIT, (w) => w.requests.owner, AUDIT_OF_PRIVATE),
      rootField('tenancy', 'serviceRequest', AUDIT, (w) => w.requests.owner, AUDIT_OF_PRIVATE),
    ],
  },
  {
    name: 'Household.audit',
    reveal: auditOf,
    value: (w) => w.creators.household,
    forms: [
      rootField('gateway', 'household', AUDIT, (w) => w.households.owner, AUDIT_OF_PRIVATE),
      rootField('tenancy', 'household', AUDIT, (w) => w.households.owner, AUDIT_OF_PRIVATE),
    ],
  },
  {
    name: 'NeighbourhoodAction.audit',
    reveal: auditOf,
    value: (w) => w.creators.action,
    forms: [
      rootField('gateway', 'action', AUDIT, (w) => w.actions.owner, AUDIT_IN_DISTRICT),
      rootField('actions', 'action', AUDIT, (w) => w.actions.owner, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'Partner.audit',
    reveal: auditOf,
    value: (w) => w.creators.partners,
    forms: [
      rootField('gateway', 'partner', AUDIT, (w) => w.partners.regie, AUDIT_IN_DISTRICT),
      rootField('partners', 'partner', AUDIT, (w) => w.partners.regie, AUDIT_IN_DISTRICT),
    ],
  },
  {
    name: 'Agreement.audit',
    reveal: (partner) => partner?.agreements?.map(auditOf).filter(Boolean),
    value: (w) => [w.creators.partners],
    forms: [
      rootField('gateway', 'partner', `agreements { ${AUDIT} }`, (w) => w.partners.regie, AUDIT_IN_DISTRICT),
      rootField('partners', 'partner', `agreements { ${AUDIT} }`, (w) => w.partners.regie, AUDIT_IN_DISTRICT),
      {
        ...entity('partners', 'Agreement', AUDIT, (w) => w.agreement, AUDIT_IN_DISTRICT),
        reveal: (agreement) => [auditOf(agreement)].filter(Boolean),
      },
    ],
  },
];

const rowsOf = (operations: readonly ReadOperation[]) =>
  operations.flatMap((operation) => operation.forms.map((form) => ({ ...form, operation, name: `${operation.name} via ${form.via}` })));

const SHARED_CASES = casesOf(rowsOf(SHARED));
const PRIVATE_CASES = casesOf(rowsOf(PRIVATE));
const AGGREGATE_CASES = casesOf(rowsOf(AGGREGATES));
const AUDIT_CASES = casesOf(rowsOf(AUDIT_TRAILS));

const isEmpty = (value: unknown) => value === null || value === undefined || (Array.isArray(value) && value.length === 0);

describe('access matrix: reads', () => {
  let graph: TestGraph;
  let world: AccessWorld;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  async function check(testCase: (typeof SHARED_CASES)[number]): Promise<void> {
    const { operation, expected, role } = testCase;
    const response = await sendTo(graph, testCase.target, testCase.query, world.callers[role], testCase.variables(world));
    const root = testCase.root(response.data);
    const revealed = testCase.reveal ? testCase.reveal(root) : operation.reveal(root, world);

    if (expected === 'allowed') {
      expect(distinctCodes(response)).toEqual([]);
      expect(revealed).toEqual(operation.value(world, role));
    } else if (expected === 'unknown') {
      // Exactly what a record that does not exist gets: null, without an error saying why.
      expect(distinctCodes(response)).toEqual([]);
      expect(root).toBeNull();
    } else {
      expect(distinctCodes(response)).toEqual(expected === 'filtered' ? [] : [expected.code]);
      expect(isEmpty(revealed)).toBe(true);
    }
    expect(leaksIn(response, role)).toEqual([]);
  }

  describe('shared data: Le Mirail’s members read it, others are refused or filtered', () => {
    it.each(SHARED_CASES)('$title', check);
  });

  describe("private data: the owner's staff and admins only", () => {
    it.each(PRIVATE_CASES)('$title', check);
  });

  describe('audit trails: admins only', () => {
    it.each(AUDIT_CASES)('$title', check);
  });

  describe('aggregates: shared, without giving away what they count', () => {
    it.each(AGGREGATE_CASES)('$title', check);

    it('request stats are counts and rates only: no field names a request, a dwelling or a tenant', async () => {
      const TYPE = `query ($name: String!) { __type(name: $name) { fields { name type { ...leaf } } } }
        fragment leaf on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;
      const leafName = (type: Json): string => (type.ofType ? leafName(type.ofType) : type.name);
      const fieldsOf = async (name: string) => {
        const { __type } = dataOf(await graph.request<{ __type: Json }>(TYPE, { caller: TEST_ADMIN, variables: { name } }));
        return Object.fromEntries(__type.fields.map((field: Json) => [field.name, leafName(field.type)]));
      };
      expect(await fieldsOf('RequestStats')).toEqual({
        disclosure: 'Disclosure',
        total: 'Int',
        open: 'Int',
        byCategory: 'CategoryCount',
        byMonth: 'MonthCount',
        acknowledgedWithin48hRate: 'Float',
        medianResolutionHours: 'Float',
      });
      expect(await fieldsOf('CategoryCount')).toEqual({ category: 'RequestCategory', count: 'Int', disclosure: 'Disclosure' });
      expect(await fieldsOf('MonthCount')).toEqual({ month: 'String', count: 'Int', disclosure: 'Disclosure' });
    });

    it('the gateway does not let clients send entity representations themselves', async () => {
      const response = await graph.request(entitiesQuery('Dwelling', 'household { phone }'), {
        caller: TEST_ADMIN,
        variables: representation('Dwelling', world.dwellings.owner),
      });
      expect(distinctCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });
  });
});
