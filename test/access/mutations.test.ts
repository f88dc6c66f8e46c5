import type { TfpbProgrammeDocument } from '../../subgraphs/actions/model';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import type { SubgraphName } from '../../subgraphs/shared/subgraphDefinition';
import {
  ADMIN_ONLY,
  type AccessWorld,
  BAD_INPUT,
  FORBIDDEN,
  OWNER_ONLY,
  type RoleName,
  type RoleRow,
  TFPB_YEAR,
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
import { type ActionView, actionAfter, coOrganised, scheduledAction } from '../support/actionsFixtures';
import { openServiceRequest } from '../support/tenancyFixtures';
import { type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * Who may write what (api-contract "Who may do what"), as one matrix: every mutation of the contract, sent by each of
 * the eight callers through the gateway and straight to the subgraph owning it. An allowed write changes the
 * collection it writes; a refused one answers its code (FORBIDDEN, NOT_FOUND when it names a record the caller may not
 * know exists, or BAD_USER_INPUT for a mistake by someone who may write) and leaves that collection exactly as it was, compared document by document before and after. Writes that
 * change a record (versions, lifecycles) each get a fresh one, so that every case starts from a record the caller
 * could change if the rules let it. No response, error messages included, shows what its caller may not read.
 */

interface Setting {
  world: AccessWorld;
  role: RoleName;
  /** A number no earlier case had, for records whose identity must be new. */
  serial: number;
  /** A new action of the owner in Le Mirail, with the régie taking part: PROPOSED, or SCHEDULED in the past. */
  proposedAction: () => Promise<ActionView>;
  scheduledAction: () => Promise<ActionView>;
  /** A new PROPOSED action of the owner, which invited the neighbour: the invitation is pending. */
  invitingAction: () => Promise<ActionView>;
  /** A new PROPOSED action of the owner (the lead organiser), co-organised by the neighbour. */
  coOrganisedAction: () => Promise<ActionView>;
  /** A new PROPOSED action of the owner in Le Mirail, without partners. */
  actionWithoutPartners: () => Promise<ActionView>;
  /** A new OPEN request in the owner's building. */
  openRequest: () => Promise<{ id: string; version: number }>;
  /** The version of a landlord's TFPB programme of Le Mirail and TFPB_YEAR (0 before anything was entered). */
  tfpbVersion: (landlordId: string) => Promise<number>;
}

interface MutationOperation {
  name: string;
  /** The mutation's root field, which the response holds on success and null on refusal. */
  field: string;
  /** The subgraph owning the mutation, where the direct attack is sent. */
  subgraph: SubgraphName;
  /** The collection the mutation writes. */
  collection: keyof typeof COLLECTIONS;
  query: string;
  variables: (setting: Setting) => Variables | Promise<Variables>;
  expect: RoleRow;
}

/** The landlord a caller writes for: staff, their own; anyone else names the owner (and admins may). */
function landlordOf(world: AccessWorld, role: RoleName): string {
  const { landlords } = world;
  return role === 'NEIGHBOUR_STAFF' ? landlords.neighbour : role === 'OUTSIDER_STAFF' ? landlords.outsider : landlords.owner;
}

/** `mutation (<args>) { field(<each arg passed as is>) { selection } }`, e.g. args '$id: ID!, $reason: String!'. */
const mutation = (field: string, args: string, selection = 'id') => {
  const parameters = args.split(',').map((arg) => arg.trim().split(':')[0]!);
  return `mutation (${args}) { ${field}(${parameters.map((name) => `${name.slice(1)}: ${name}`).join(', ')}) { ${selection} } }`;
};

const F = FORBIDDEN;
/** A record the mutation names is unknown to the caller: NOT_FOUND, as for one that does not exist. */
const U = UNKNOWN;
// Columns, in the order of ROLES:
//                  ADMIN OWNER_STAFF NEIGHBOUR_STAFF OUTSIDER_STAFF COORDINATOR OTHER_COORDINATOR PARTNER OTHER_PARTNER
/** Landlords of Le Mirail, each for itself; to a landlord of Bellefontaine only, Le Mirail is unknown. */
const LANDLORDS_OF_DISTRICT: RoleRow = [ok, ok, ok, U, F, F, F, F];
/** The owner's writes on a record shared with Le Mirail: refused to its other members, unknown outside it. */
const OWNER_IN_DISTRICT: RoleRow = [ok, ok, F, U, F, U, F, U];
/** The action's organiser (the owner) and Le Mirail's coordinator; the action is unknown outside Le Mirail. */
const MANAGERS: RoleRow = [ok, ok, F, U, ok, U, F, U];
/** The neighbour's staff, for the neighbour (and admins naming it); the action is unknown outside Le Mirail. */
const NEIGHBOUR_ONLY: RoleRow = [ok, F, ok, U, F, U, F, U];
const COORDINATION: RoleRow = [ok, F, F, F, ok, F, F, F];

const MUTATIONS: readonly MutationOperation[] = [
  {
    // The abatement of the owner's tax notice: its staff, and admins naming it.
    name: 'setTfpbAbatement for the owner in Le Mirail',
    field: 'setTfpbAbatement',
    subgraph: 'actions',
    collection: 'tfpbProgrammes',
    query: mutation('setTfpbAbatement', '$scope: TfpbScopeInput!, $abatementCents: Int!, $expectedVersion: Int!', 'version'),
    variables: async (setting) => ({
      scope: { landlordId: setting.world.landlords.owner, districtId: setting.world.mirail, year: TFPB_YEAR },
      abatementCents: 1_000_000 + setting.serial,
      expectedVersion: await setting.tfpbVersion(setting.world.landlords.owner),
    }),
    expect: OWNER_ONLY,
  },
  {
    name: "addTfpbEntry for the caller's own landlord in Le Mirail",
    field: 'addTfpbEntry',
    subgraph: 'actions',
    collection: 'tfpbProgrammes',
    query: mutation('addTfpbEntry', '$scope: TfpbScopeInput!, $entry: TfpbEntryInput!, $expectedVersion: Int!', 'version'),
    variables: async (setting) => {
      const landlordId = landlordOf(setting.world, setting.role);
      return {
        scope: { landlordId, districtId: setting.world.mirail, year: TFPB_YEAR },
        entry: { axis: 'EXTRA_MAINTENANCE', label: `Nettoyage ${setting.serial}`, spentCents: setting.serial },
        expectedVersion: await setting.tfpbVersion(landlordId),
      };
    },
    expect: LANDLORDS_OF_DISTRICT,
  },
  {
    name: 'registerLandlord',
    field: 'registerLandlord',
    subgraph: 'housing',
    collection: 'landlords',
    query: mutation('registerLandlord', '$input: RegisterLandlordInput!'),
    variables: ({ serial }) => ({ input: { name: `Bailleur ${serial}`, family: 'OPH' } }),
    expect: ADMIN_ONLY,
  },
  {
    name: 'registerDistrict',
    field: 'registerDistrict',
    subgraph: 'housing',
    collection: 'districts',
    query: mutation('registerDistrict', '$input: RegisterDistrictInput!'),
    variables: ({ serial }) => ({ input: { name: `Quartier ${serial}`, communeCodes: ['31555'] } }),
    expect: ADMIN_ONLY,
  },
  {
    name: 'registerBuilding for the owner in Le Mirail',
    field: 'registerBuilding',
    subgraph: 'housing',
    collection: 'buildings',
    query: mutation('registerBuilding', '$input: RegisterBuildingInput!'),
    variables: ({ world, serial }) => ({
      input: {
        landlordId: world.landlords.owner,
        districtId: world.mirail,
        address: { streetName: `rue ${serial}`, communeCode: '31555' },
      },
    }),
    expect: OWNER_ONLY,
  },
  {
    name: "registerDwellings in the owner's building",
    field: 'registerDwellings',
    subgraph: 'housing',
    collection: 'dwellings',
    query: mutation('registerDwellings', '$buildingId: ID!, $dwellings: [DwellingInput!]!'),
    variables: ({ world, serial }) => ({
      buildingId: world.buildings.owner,
      dwellings: [{ reference: `GDC-${serial}`, rooms: 2, rentCents: 40_000 }],
    }),
    expect: OWNER_IN_DISTRICT,
  },
  {
    name: "openServiceRequest in the owner's building",
    field: 'openServiceRequest',
    subgraph: 'tenancy',
    collection: 'serviceRequests',
    query: mutation('openServiceRequest', '$input: OpenServiceRequestInput!'),
    variables: ({ world }) => ({
      input: { buildingId: world.buildings.owner, category: 'CLEANLINESS', channel: 'PHONE', description: 'Hall sale' },
    }),
    expect: OWNER_IN_DISTRICT,
  },
  {
    name: "updateServiceRequest of the owner's request",
    field: 'updateServiceRequest',
    subgraph: 'tenancy',
    collection: 'serviceRequests',
    query: mutation('updateServiceRequest', '$id: ID!, $status: RequestStatus!, $expectedVersion: Int!'),
    variables: async ({ openRequest }) => {
      const request = await openRequest();
      return { id: request.id, status: 'ACKNOWLEDGED', expectedVersion: request.version };
    },
    expect: [ok, ok, U, U, U, U, U, U],
  },
  {
    name: "registerHousehold in the owner's dwelling",
    field: 'registerHousehold',
    subgraph: 'tenancy',
    collection: 'households',
    query: mutation('registerHousehold', '$input: RegisterHouseholdInput!'),
    variables: ({ world }) => ({ input: { dwellingId: world.dwellings.spare, since: '2024-01-01', size: 2, phone: '05 61 00 00 00' } }),
    expect: OWNER_IN_DISTRICT,
  },
  {
    name: 'recordSatisfactionSurvey for the owner in Le Mirail',
    field: 'recordSatisfactionSurvey',
    subgraph: 'tenancy',
    collection: 'satisfactionSurveys',
    query: mutation('recordSatisfactionSurvey', '$input: RecordSatisfactionSurveyInput!', 'year'),
    variables: ({ world, serial }) => ({ input: surveyInput(world.landlords.owner, world.mirail, serial) }),
    expect: OWNER_ONLY,
  },
  {
    name: "recordSatisfactionSurvey for the caller's own landlord in Le Mirail",
    field: 'recordSatisfactionSurvey',
    subgraph: 'tenancy',
    collection: 'satisfactionSurveys',
    query: mutation('recordSatisfactionSurvey', '$input: RecordSatisfactionSurveyInput!', 'year'),
    variables: ({ world, role, serial }) => ({ input: surveyInput(landlordOf(world, role), world.mirail, serial) }),
    expect: LANDLORDS_OF_DISTRICT,
  },
  {
    name: 'proposeAction for the owner in Le Mirail',
    field: 'proposeAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('proposeAction', '$input: ProposeActionInput!'),
    variables: ({ world }) => ({ input: actionInput(world, world.landlords.owner) }),
    expect: OWNER_ONLY,
  },
  {
    name: "proposeAction for the caller's own landlord in Le Mirail",
    field: 'proposeAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('proposeAction', '$input: ProposeActionInput!'),
    variables: ({ world, role }) => ({ input: actionInput(world, landlordOf(world, role)) }),
    expect: LANDLORDS_OF_DISTRICT,
  },
  {
    // The finding of issue 11: a landlord of the district joined an action uninvited. Admins name the owner, which
    // organises the action already: a mistake.
    name: "joinAction of the owner's action without an invitation, for the caller's own landlord",
    field: 'joinAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('joinAction', '$id: ID!, $costShareCents: Int, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, role, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, costShareCents: 0, expectedVersion: action.version, landlordId: landlordOf(world, role) };
    },
    expect: [BAD_INPUT, F, F, U, F, U, F, U],
  },
  {
    name: "joinAction (deprecated) of the owner's action inviting the neighbour, for the neighbour",
    field: 'joinAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('joinAction', '$id: ID!, $costShareCents: Int, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, invitingAction }) => {
      const action = await invitingAction();
      return { id: action.id, costShareCents: 5_000, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: NEIGHBOUR_ONLY,
  },
  {
    name: "inviteToAction of the owner's action, inviting the neighbour",
    field: 'inviteToAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('inviteToAction', '$id: ID!, $landlordId: ID!, $expectedVersion: Int!'),
    variables: async ({ world, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, landlordId: world.landlords.neighbour, expectedVersion: action.version };
    },
    expect: MANAGERS,
  },
  {
    name: "inviteToAction of the owner's action, inviting the outsider (no buildings in Le Mirail)",
    field: 'inviteToAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('inviteToAction', '$id: ID!, $landlordId: ID!, $expectedVersion: Int!'),
    variables: async ({ world, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, landlordId: world.landlords.outsider, expectedVersion: action.version };
    },
    // To the owner's staff and the coordinator, a landlord of Bellefontaine only is unknown: as one that does not exist.
    expect: [BAD_INPUT, U, F, U, U, U, F, U],
  },
  {
    name: "acceptActionInvitation of the owner's action inviting the neighbour, for the neighbour",
    field: 'acceptActionInvitation',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('acceptActionInvitation', '$id: ID!, $costShareCents: Int, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, invitingAction }) => {
      const action = await invitingAction();
      return { id: action.id, costShareCents: 5_000, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: NEIGHBOUR_ONLY,
  },
  {
    name: "declineActionInvitation of the owner's action inviting the neighbour, for the neighbour",
    field: 'declineActionInvitation',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('declineActionInvitation', '$id: ID!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, invitingAction }) => {
      const action = await invitingAction();
      return { id: action.id, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: NEIGHBOUR_ONLY,
  },
  {
    name: "leaveAction of the owner's action co-organised by the neighbour, for the neighbour",
    field: 'leaveAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('leaveAction', '$id: ID!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, coOrganisedAction }) => {
      const action = await coOrganisedAction();
      return { id: action.id, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: NEIGHBOUR_ONLY,
  },
  {
    // The lead organiser cancels instead: a mistake for those who may act for it.
    name: "leaveAction of the owner's action co-organised by the neighbour, for the owner (its lead organiser)",
    field: 'leaveAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('leaveAction', '$id: ID!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, coOrganisedAction }) => {
      const action = await coOrganisedAction();
      return { id: action.id, expectedVersion: action.version, landlordId: world.landlords.owner };
    },
    expect: [BAD_INPUT, BAD_INPUT, F, U, F, U, F, U],
  },
  {
    // A share is the landlord's own commitment: not the coordinator's to change, though it reads it.
    name: "changeCostShare of the owner's action, for the owner (its lead organiser)",
    field: 'changeCostShare',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('changeCostShare', '$id: ID!, $costShareCents: Int!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, serial, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, costShareCents: 1_000 + serial, expectedVersion: action.version, landlordId: world.landlords.owner };
    },
    expect: OWNER_IN_DISTRICT,
  },
  {
    name: "changeCostShare of the owner's action co-organised by the neighbour, for the neighbour",
    field: 'changeCostShare',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('changeCostShare', '$id: ID!, $costShareCents: Int!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, serial, coOrganisedAction }) => {
      const action = await coOrganisedAction();
      return { id: action.id, costShareCents: 1_000 + serial, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: NEIGHBOUR_ONLY,
  },
  {
    // The neighbour organises nothing here: a mistake by an admin naming it, refused to its own staff.
    name: "changeCostShare of the owner's action, for the neighbour (not an organiser)",
    field: 'changeCostShare',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('changeCostShare', '$id: ID!, $costShareCents: Int!, $expectedVersion: Int!, $landlordId: ID'),
    variables: async ({ world, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, costShareCents: 1_000, expectedVersion: action.version, landlordId: world.landlords.neighbour };
    },
    expect: [BAD_INPUT, F, F, U, F, U, F, U],
  },
  {
    name: "attachPartnerToAction of the owner's action, the régie (serving Le Mirail)",
    field: 'attachPartnerToAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('attachPartnerToAction', '$id: ID!, $partnerId: ID!, $expectedVersion: Int!'),
    variables: async ({ world, actionWithoutPartners }) => {
      const action = await actionWithoutPartners();
      return { id: action.id, partnerId: world.partners.regie, expectedVersion: action.version };
    },
    expect: MANAGERS,
  },
  {
    // To the owner's staff and the coordinator, a partner serving Bellefontaine only is unknown: as one that does not exist.
    name: "attachPartnerToAction of the owner's action, the association (serving Bellefontaine only)",
    field: 'attachPartnerToAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('attachPartnerToAction', '$id: ID!, $partnerId: ID!, $expectedVersion: Int!'),
    variables: async ({ world, actionWithoutPartners }) => {
      const action = await actionWithoutPartners();
      return { id: action.id, partnerId: world.partners.association, expectedVersion: action.version };
    },
    expect: [BAD_INPUT, U, F, U, U, U, F, U],
  },
  {
    name: "detachPartnerFromAction of the owner's action, the régie taking part",
    field: 'detachPartnerFromAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('detachPartnerFromAction', '$id: ID!, $partnerId: ID!, $expectedVersion: Int!'),
    variables: async ({ world, proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, partnerId: world.partners.regie, expectedVersion: action.version };
    },
    expect: MANAGERS,
  },
  {
    name: "scheduleAction of the owner's action",
    field: 'scheduleAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('scheduleAction', '$id: ID!, $startsAt: DateTime!, $endsAt: DateTime!, $expectedVersion: Int!'),
    variables: async ({ proposedAction }) => {
      const action = await proposedAction();
      return { id: action.id, startsAt: '2025-09-20T09:00:00Z', endsAt: '2025-09-20T12:00:00Z', expectedVersion: action.version };
    },
    expect: MANAGERS,
  },
  {
    name: "completeAction of the owner's action, the régie taking part",
    field: 'completeAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('completeAction', '$id: ID!, $outcome: ActionOutcomeInput!, $expectedVersion: Int!'),
    variables: async ({ scheduledAction: scheduled }) => {
      const action = await scheduled();
      return { id: action.id, outcome: { participants: 18, notes: 'Beau temps' }, expectedVersion: action.version };
    },
    // The partners taking part record outcomes too.
    expect: [ok, ok, F, U, ok, U, ok, U],
  },
  {
    // Its lead organiser (the owner) and the coordinator; not the neighbour, which co-organises it.
    name: "cancelAction of the owner's action co-organised by the neighbour, the régie taking part",
    field: 'cancelAction',
    subgraph: 'actions',
    collection: 'actions',
    query: mutation('cancelAction', '$id: ID!, $reason: String!, $expectedVersion: Int!'),
    variables: async ({ coOrganisedAction }) => {
      const action = await coOrganisedAction();
      return { id: action.id, reason: 'Alerte orange', expectedVersion: action.version };
    },
    expect: MANAGERS,
  },
  {
    name: 'registerPartner in Le Mirail',
    field: 'registerPartner',
    subgraph: 'partners',
    collection: 'partners',
    query: mutation('registerPartner', '$input: RegisterPartnerInput!'),
    variables: ({ world, serial }) => ({
      input: { name: `Association ${serial}`, kind: 'ASSOCIATION', services: ['MEDIATION'], districtIds: [world.mirail] },
    }),
    expect: COORDINATION,
  },
  {
    name: 'registerPartner in Le Mirail and Bellefontaine',
    field: 'registerPartner',
    subgraph: 'partners',
    collection: 'partners',
    query: mutation('registerPartner', '$input: RegisterPartnerInput!'),
    variables: ({ world, serial }) => ({
      input: {
        name: `Association ${serial}`,
        kind: 'ASSOCIATION',
        services: ['MEDIATION'],
        districtIds: [world.mirail, world.bellefontaine],
      },
    }),
    // No coordinator coordinates both.
    expect: ADMIN_ONLY,
  },
  {
    name: 'signAgreement in Le Mirail',
    field: 'signAgreement',
    subgraph: 'partners',
    collection: 'agreements',
    query: mutation('signAgreement', '$input: SignAgreementInput!'),
    variables: ({ world }) => ({
      input: {
        partnerId: world.partners.regie,
        districtId: world.mirail,
        landlordIds: [world.landlords.owner],
        kind: 'CONVENTION',
        services: ['CLEANING'],
        validFrom: '2025-01-01',
      },
    }),
    expect: COORDINATION,
  },
  {
    // A mistake to admins, who know the partner; to Le Mirail's coordinator, a partner unknown to it.
    name: 'signAgreement in Le Mirail with a partner serving Bellefontaine only',
    field: 'signAgreement',
    subgraph: 'partners',
    collection: 'agreements',
    query: mutation('signAgreement', '$input: SignAgreementInput!'),
    variables: ({ world }) => ({
      input: {
        partnerId: world.partners.association,
        districtId: world.mirail,
        landlordIds: [world.landlords.owner],
        kind: 'CONVENTION',
        services: ['GREEN_SPACES'],
        validFrom: '2025-01-01',
      },
    }),
    expect: [BAD_INPUT, F, F, F, U, F, F, F],
  },
];

/** A new respondent count each time, so that an allowed recording is a visible change. */
function surveyInput(landlordId: string, districtId: string, serial: number): Variables {
  return { landlordId, districtId, year: 2023, scores: [{ theme: 'OVERALL', respondents: 10 + serial, satisfied: 10 }] };
}

function actionInput(world: AccessWorld, landlordId: string): Variables {
  return { districtId: world.mirail, title: 'Atelier vélo', kind: 'SMALL_REPAIRS', landlordId, partnerIds: [world.partners.regie] };
}

/** Each mutation through the gateway, then straight to its subgraph. */
const CASES = casesOf(
  MUTATIONS.flatMap((operation) =>
    (['gateway', operation.subgraph] as const).map((target: Target) => ({ ...operation, target, name: `${operation.name} via ${target}` })),
  ),
);

describe('access matrix: mutations', () => {
  let graph: TestGraph;
  let world: AccessWorld;
  let serial = 0;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  function settingFor(role: RoleName): Setting {
    const owner = world.callers.OWNER_STAFF;
    const actionOfOwner = { districtId: world.mirail, title: 'Action du jour', partnerIds: [world.partners.regie] };
    const proposeForOwner = () => actionAfter(graph, 'proposeAction', owner, { input: { kind: 'CLEAN_UP', ...actionOfOwner } });
    return {
      world,
      role,
      serial: ++serial,
      proposedAction: () => proposeForOwner(),
      invitingAction: async () => {
        const action = await proposeForOwner();
        return actionAfter(graph, 'inviteToAction', owner, {
          id: action.id,
          landlordId: world.landlords.neighbour,
          expectedVersion: action.version,
        });
      },
      coOrganisedAction: async () => coOrganised(graph, await proposeForOwner(), world.landlords.neighbour, 7_000),
      actionWithoutPartners: () =>
        actionAfter(graph, 'proposeAction', owner, { input: { kind: 'CLEAN_UP', ...actionOfOwner, partnerIds: [] } }),
      scheduledAction: () => scheduledAction(graph, world.landlords.owner, actionOfOwner),
      openRequest: async () => dataOf(await openServiceRequest(graph, owner, { buildingId: world.buildings.owner })).openServiceRequest,
      tfpbVersion: async (landlordId) =>
        (
          await graph.db
            .collection<TfpbProgrammeDocument>(COLLECTIONS.tfpbProgrammes)
            .findOne({ landlordId, districtId: world.mirail, year: TFPB_YEAR })
        )?.version ?? 0,
    };
  }

  /** The whole collection, document by document. */
  const stored = (collection: keyof typeof COLLECTIONS) => graph.db.collection(COLLECTIONS[collection]).find({}).sort({ _id: 1 }).toArray();

  it.each(CASES)('$title', async ({ role, expected, target, query, field, collection, variables }) => {
    const input = await variables(settingFor(role));
    const before = await stored(collection);
    const response = await sendTo(graph, target, query, world.callers[role], input);
    const after = await stored(collection);

    if (expected === 'allowed') {
      expect(distinctCodes(response)).toEqual([]);
      expect(response.data?.[field]).toBeTruthy();
      expect(after).not.toEqual(before);
    } else {
      if (expected === 'filtered') throw new Error('A mutation is allowed or refused; only reads filter.');
      expect(distinctCodes(response)).toEqual([expected === 'unknown' ? 'NOT_FOUND' : expected.code]);
      expect(response.data?.[field] ?? null).toBeNull();
      expect(after).toHaveLength(before.length);
      expect(after).toEqual(before);
    }
    expect(leaksIn(response, role)).toEqual([]);
  });
});
