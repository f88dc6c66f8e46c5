import type { Collection, Db, Document, Filter } from 'mongodb';
import { type DistrictSelection, withinDistricts } from '../../shared/access';
import { type RequestLoaders, groupedByFieldLoader, loaderKey } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { VersionedRecords } from '../../shared/versionedRecords';
import type { ActionStatus, NeighbourhoodAction, TfpbAxis } from '../generated/resolvers';
import type { ActionDocument } from '../model';

export function actionsCollection(db: Db): Collection<ActionDocument> {
  return db.collection<ActionDocument>(COLLECTIONS.actions);
}

/**
 * Index per query: a district's schedule; the actions of a building, of a partner; a landlord's actions, whose
 * prefix also serves its TFPB report; a landlord's invitations; the proposer's idempotency key, unique when set.
 */
export async function ensureActionIndexes(db: Db): Promise<void> {
  await actionsCollection(db).createIndexes([
    { key: { districtId: 1, startsAt: 1, _id: 1 }, name: 'district_schedule' },
    { key: { buildingIds: 1 }, name: 'buildings' },
    { key: { partnerIds: 1 }, name: 'partners' },
    { key: { organiserIds: 1, districtId: 1, status: 1, 'outcome.completedAt': 1 }, name: 'organiser_report' },
    { key: { 'invitations.landlordId': 1 }, name: 'invited_landlords' },
    {
      key: { proposedByLandlordId: 1, clientMutationId: 1 },
      name: 'proposer_client_mutation_unique',
      unique: true,
      partialFilterExpression: { clientMutationId: { $type: 'string' } },
    },
  ]);
}

/** Soonest first; actions not yet dated (no startsAt) sort before the dated ones. */
const BY_START = { startsAt: 1, _id: 1 } as const;

export interface ScheduleFilter {
  status?: ActionStatus | null;
  /** Inclusive bound of startsAt. */
  from?: Date | null;
  /** Exclusive bound of startsAt. */
  to?: Date | null;
}

export interface TfpbAxisTotals {
  axis: TfpbAxis;
  actionCount: number;
  costCents: number;
  participants: number;
}

/** A district's TFPB totals, per organiser and axis. */
export interface LandlordTfpbAxisTotals extends TfpbAxisTotals {
  landlordId: string;
}

function scheduleFilter({ status, from, to }: ScheduleFilter): Filter<ActionDocument> {
  const startsAt = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
  return { ...(status ? { status } : {}), ...(from || to ? { startsAt } : {}) };
}

/**
 * The stored fields each NeighbourhoodAction field reads, with those of the access rule it applies (cost shares and
 * invitations are shown to the organisers; `districtId`, always read, to the coordinators). A new field of the schema
 * does not compile until it is listed here.
 */
const STORED_FIELDS_OF: Record<Exclude<keyof NeighbourhoodAction, '__typename'>, readonly (keyof ActionDocument)[]> = {
  id: ['_id'],
  title: ['title'],
  description: ['description'],
  kind: ['kind'],
  status: ['status'],
  district: ['districtId'],
  buildings: ['buildingIds'],
  proposedBy: ['proposedByLandlordId'],
  leadOrganiser: ['proposedByLandlordId'],
  organisers: ['organiserIds'],
  invitations: ['invitations', 'organiserIds'],
  partners: ['partnerIds'],
  startsAt: ['startsAt'],
  endsAt: ['endsAt'],
  tfpbAxis: ['tfpbAxis'],
  costShares: ['costShares', 'organiserIds'],
  outcome: ['outcome'],
  cancellationReason: ['cancellationReason'],
  version: ['version'],
  audit: ['audit'],
};

/**
 * The projection reading only what the selected NeighbourhoodAction fields need (and `districtId`, which lists are
 * grouped and filtered by); undefined, for whole documents, when a selected name is not an action field it knows.
 */
export function actionProjection(selectedFields: ReadonlySet<string>): Document | undefined {
  const stored = new Set<string>(['_id', 'districtId']);
  for (const field of selectedFields) {
    if (field === '__typename') continue;
    const needs = Object.hasOwn(STORED_FIELDS_OF, field) ? STORED_FIELDS_OF[field as keyof typeof STORED_FIELDS_OF] : undefined;
    if (needs === undefined) return undefined;
    needs.forEach((name) => stored.add(name));
  }
  return Object.fromEntries([...stored].map((name) => [name, 1]));
}

export class ActionsData extends VersionedRecords<ActionDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(actionsCollection(db), loaders, 'NeighbourhoodAction');
  }

  /**
   * A district's actions matching `filter`: one query for all districts asked with the same filter and fields.
   * With `selectedFields`, only the stored fields they need are read (see actionProjection): the documents are then
   * partial, for the resolvers of those fields only.
   */
  ofDistrict(districtId: string, filter: ScheduleFilter, selectedFields?: ReadonlySet<string>): Promise<ActionDocument[]> {
    const projection = selectedFields && actionProjection(selectedFields);
    return this.loaders
      .get(loaderKey('actionsOfDistrict', { ...filter, projection }), () =>
        groupedByFieldLoader(this.collection, 'districtId', { filter: scheduleFilter(filter), sort: BY_START, projection }),
      )
      .load(districtId);
  }

  /** The actions concerning a building: one query for all buildings asked. */
  ofBuilding(buildingId: string): Promise<ActionDocument[]> {
    return this.loaders
      .get('actionsOfBuilding', () => groupedByFieldLoader(this.collection, 'buildingIds', { sort: BY_START }))
      .load(buildingId);
  }

  /** The actions a landlord organises within `districts`: one query for all landlords asked. */
  organisedBy(landlordId: string, districts: DistrictSelection): Promise<ActionDocument[]> {
    return this.loaders
      .get(loaderKey('actionsOrganisedBy', { districts }), () =>
        groupedByFieldLoader(this.collection, 'organiserIds', { filter: withinDistricts('districtId', districts), sort: BY_START }),
      )
      .load(landlordId);
  }

  /** The actions a partner takes part in within `districts`: one query for all partners asked. */
  withPartner(partnerId: string, districts: DistrictSelection): Promise<ActionDocument[]> {
    return this.loaders
      .get(loaderKey('actionsWithPartner', { districts }), () =>
        groupedByFieldLoader(this.collection, 'partnerIds', { filter: withinDistricts('districtId', districts), sort: BY_START }),
      )
      .load(partnerId);
  }

  /**
   * The actions still to come (PROPOSED or SCHEDULED) within `districts` to which `landlordId` has a pending
   * invitation, whole: each is remembered for the request, so that reading it again (an invitation's action) costs
   * nothing.
   */
  async invitingLandlord(landlordId: string, districts: DistrictSelection): Promise<ActionDocument[]> {
    const actions = (await this.collection
      .find({
        invitations: { $elemMatch: { landlordId, status: 'PENDING' } },
        status: { $in: ['PROPOSED', 'SCHEDULED'] },
        ...withinDistricts('districtId', districts),
      } as Filter<ActionDocument>)
      .sort(BY_START)
      .toArray()) as ActionDocument[];
    actions.forEach((action) => this.remember(action));
    return actions;
  }

  /** Stores a new action; a replay of the proposer's clientMutationId returns the action first created with it. */
  propose(action: ActionDocument): Promise<ActionDocument> {
    return this.insertOnce(action, {
      proposedByLandlordId: action.proposedByLandlordId,
      clientMutationId: action.clientMutationId,
    });
  }

  /**
   * Per TFPB axis, the DONE actions a landlord organised in a district and completed within [since, until):
   * their count, the landlord's own cost shares and the participants, in ONE aggregate. Actions without an axis
   * are not TFPB spending and are left out.
   */
  tfpbTotals(landlordId: string, districtId: string, since: Date, until: Date): Promise<TfpbAxisTotals[]> {
    return this.collection
      .aggregate<TfpbAxisTotals>([
        {
          $match: {
            organiserIds: landlordId,
            districtId,
            status: 'DONE',
            'outcome.completedAt': { $gte: since, $lt: until },
            tfpbAxis: { $ne: null },
          },
        },
        {
          $project: {
            tfpbAxis: 1,
            participants: '$outcome.participants',
            landlordCostCents: {
              $sum: {
                $map: {
                  input: { $filter: { input: '$costShares', as: 'share', cond: { $eq: ['$$share.landlordId', landlordId] } } },
                  as: 'share',
                  in: '$$share.amountCents',
                },
              },
            },
          },
        },
        {
          $group: {
            _id: '$tfpbAxis',
            actionCount: { $sum: 1 },
            costCents: { $sum: '$landlordCostCents' },
            participants: { $sum: '$participants' },
          },
        },
        { $project: { _id: 0, axis: '$_id', actionCount: 1, costCents: 1, participants: 1 } },
      ])
      .toArray();
  }

  /**
   * The same per organiser, for every landlord of a district at once (the comité's table): each organiser's cost
   * share, one row per organiser and axis, in ONE aggregate.
   */
  tfpbTotalsOfDistrict(districtId: string, since: Date, until: Date): Promise<LandlordTfpbAxisTotals[]> {
    return this.collection
      .aggregate<LandlordTfpbAxisTotals>([
        { $match: { districtId, status: 'DONE', 'outcome.completedAt': { $gte: since, $lt: until }, tfpbAxis: { $ne: null } } },
        { $unwind: '$costShares' },
        {
          $group: {
            _id: { landlordId: '$costShares.landlordId', axis: '$tfpbAxis' },
            actionCount: { $sum: 1 },
            costCents: { $sum: '$costShares.amountCents' },
            participants: { $sum: '$outcome.participants' },
          },
        },
        { $project: { _id: 0, landlordId: '$_id.landlordId', axis: '$_id.axis', actionCount: 1, costCents: 1, participants: 1 } },
      ])
      .toArray();
  }
}
