import { districtRecord, privateRecord, recordInDistrict } from '../shared/access';
import { newAuditTrail } from '../shared/audit';
import { badInput, notFound } from '../shared/errors';
import { newId } from '../shared/records';
import {
  optionalText,
  requireDateNotInFuture,
  requireDistinctValues,
  requireIntInRange,
  requireNotBefore,
  requireNotInFuture,
} from '../shared/validate';
import type { Context } from './index';
import type {
  HouseholdProfileInput,
  OpenServiceRequestInput,
  RecordSatisfactionSurveyInput,
  RegisterHouseholdInput,
  RequestStatus,
  SatisfactionScoreInput,
} from './generated/resolvers';
import type { HouseholdDocument, SatisfactionScoreModel, SatisfactionSurveyDocument, ServiceRequestDocument } from './model';
import { NEW_HOUSEHOLD, validProfileChange } from './householdProfile';
import { statusChange } from './requestStatus';

/**
 * The earliest a request may be dated. A district's statistics run from its first request, month by month: one dated
 * centuries back would have every statistic of the district walk all those months, for every caller.
 */
const EARLIEST_OPENING = new Date(Date.UTC(2000, 0, 1));

/** The tenancy subgraph's writes: each checks who may make it, validates all of its input, then writes. */

export async function openServiceRequest(context: Context, input: OpenServiceRequestInput): Promise<ServiceRequestDocument> {
  const building = await context.access.require(
    await context.directory.buildings.load(input.buildingId),
    recordInDistrict,
    'Building',
    input.buildingId,
  );
  const landlordId = context.access.actingLandlord(building.landlordId);
  const now = new Date();
  const openedAt = input.openedAt ?? now;
  requireNotInFuture(openedAt, 'openedAt', now);
  requireNotBefore(openedAt, 'openedAt', EARLIEST_OPENING);
  const description = optionalText(input.description, 'description', 4000);
  const clientMutationId = optionalText(input.clientMutationId, 'clientMutationId', 100);
  const dwellingId = input.dwellingId ? await dwellingOfBuilding(context, input.dwellingId, building._id) : null;
  return context.store.serviceRequests.open({
    _id: newId(),
    buildingId: building._id,
    dwellingId,
    landlordId,
    districtId: building.districtId,
    category: input.category,
    channel: input.channel,
    status: 'OPEN',
    openedAt,
    acknowledgedAt: null,
    closedAt: null,
    description,
    clientMutationId,
    version: 1,
    audit: newAuditTrail(context.caller, now),
  });
}

async function dwellingOfBuilding(context: Context, dwellingId: string, buildingId: string): Promise<string> {
  const dwelling = await context.access.require(
    await context.directory.dwellings.load(dwellingId),
    recordInDistrict,
    'Dwelling',
    dwellingId,
  );
  if (dwelling.buildingId !== buildingId) throw badInput(`Dwelling ${dwellingId} is not in building ${buildingId}.`, 'dwellingId');
  return dwelling._id;
}

export async function updateServiceRequest(
  context: Context,
  id: string,
  status: RequestStatus,
  expectedVersion: number,
): Promise<ServiceRequestDocument> {
  const requests = context.store.serviceRequests;
  // Read first: its landlord decides who may change it, and its status which timestamps the change sets.
  const current = await context.access.require(await requests.byId(id), privateRecord, 'ServiceRequest', id);
  context.access.actingLandlord(current.landlordId);
  return requests.change(current, { ...statusChange(current.status, status, new Date()), expectedVersion }, context.caller);
}

export async function registerHousehold(context: Context, input: RegisterHouseholdInput): Promise<HouseholdDocument> {
  const dwelling = await context.access.require(
    await context.directory.dwellings.load(input.dwellingId),
    recordInDistrict,
    'Dwelling',
    input.dwellingId,
  );
  const landlordId = context.access.actingLandlord(dwelling.landlordId);
  const now = new Date();
  const since = requireDateNotInFuture(input.since, 'since', now);
  const size = requireIntInRange(input.size, 'size', 1, 20);
  const profile = { ...NEW_HOUSEHOLD, ...validProfileChange(input) };
  const previous = await context.store.households.currentOf(dwelling._id);
  if (previous && since < previous.since) {
    throw badInput(`since must not be before ${previous.since}, when the household it replaces moved in.`, 'since');
  }
  return context.store.households.moveIn(
    {
      _id: newId(),
      dwellingId: dwelling._id,
      landlordId,
      districtId: dwelling.districtId,
      since,
      size,
      ...profile,
      version: 1,
      current: true,
      movedOutAt: null,
      audit: newAuditTrail(context.caller, now),
    },
    context.caller,
  );
}

export async function updateHouseholdProfile(
  context: Context,
  id: string,
  input: HouseholdProfileInput,
  expectedVersion: number,
): Promise<HouseholdDocument> {
  const households = context.store.households;
  const current = await context.access.require(await households.byId(id), privateRecord, 'Household', id);
  context.access.actingLandlord(current.landlordId);
  return households.changeProfile(current, validProfileChange(input), expectedVersion, context.caller);
}

export async function recordSatisfactionSurvey(
  context: Context,
  input: RecordSatisfactionSurveyInput,
): Promise<SatisfactionSurveyDocument> {
  const landlordId = context.access.actingLandlord(input.landlordId);
  const [landlord, storedDistrict] = await Promise.all([
    context.directory.landlords.load(landlordId),
    context.directory.districts.load(input.districtId),
  ]);
  if (!landlord) throw notFound('Landlord', landlordId);
  const district = await context.access.require(storedDistrict, districtRecord, 'District', input.districtId);
  await context.access.assertLandlordOfDistrict(landlordId, district._id);
  const year = requireIntInRange(input.year, 'year', 2000, new Date().getUTCFullYear());
  requireDistinctValues(
    input.scores.map((score) => score.theme),
    'scores',
  );
  const themes = input.scores.map((score, index) => validScore(score, `scores[${index}]`));
  return context.store.satisfactionSurveys.record({ landlordId, districtId: district._id, year, themes }, context.caller);
}

function validScore(score: SatisfactionScoreInput, path: string): SatisfactionScoreModel {
  const respondents = requireIntInRange(score.respondents, `${path}.respondents`, 0, 1_000_000);
  const satisfied = requireIntInRange(score.satisfied, `${path}.satisfied`, 0, respondents);
  return { theme: score.theme, respondents, satisfied };
}
