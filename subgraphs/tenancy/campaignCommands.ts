import { districtRecord, privateRecord, recordInDistrict, referredRecord } from '../shared/access';
import { newAuditTrail } from '../shared/audit';
import { badInput, conflict, forbidden, notFound } from '../shared/errors';
import { newId } from '../shared/records';
import { optionalText, requireNotInFuture } from '../shared/validate';
import { campaignStatus, callAfterAttempt, daysBetween, dayOf } from './campaignCalendar';
import type {
  CallNeed,
  CampaignReason,
  OpenCampaignInput,
  RecordCallAttemptInput,
  ReferNeedInput,
  ReferralConsent,
} from './generated/resolvers';
import type { PartnerService } from '../partners/generated/resolvers';
import { callListReasons, callPriority, householdProfile } from './householdProfile';
import type { Context } from './index';
import type { CampaignCallDocument, CampaignDocument, ReferralDocument } from './model';

/** The writes of wellbeing-call campaigns: each checks who may make it, validates all of its input, then writes. */

/** The longest campaign: a year. */
const MAX_CAMPAIGN_DAYS = 366;

const REASON_TITLES: Record<CampaignReason, string> = {
  CANICULE: 'Canicule',
  GRAND_FROID: 'Grand froid',
  CRISE_SANITAIRE: 'Crise sanitaire',
  ISOLEMENT: 'Isolement',
  OTHER: 'Appels de convivialité',
};

/** The service a partner must offer to take over a need; URGENT_HEALTH goes to the emergency services, never a partner. */
export const SERVICE_FOR_NEED: Record<CallNeed, PartnerService | null> = {
  GROCERIES: 'GROCERY_DELIVERY',
  MEDICINES: 'MEDICINE_DELIVERY',
  PAPERWORK: 'PAPERWORK_HELP',
  SOCIAL_CONTACT: 'BEFRIENDING',
  DIGITAL_HELP: 'DIGITAL_HELP',
  URGENT_HEALTH: null,
};

export async function openCampaign(context: Context, input: OpenCampaignInput): Promise<CampaignDocument> {
  const { access } = context;
  const district = await access.require(
    await context.directory.districts.load(input.districtId),
    districtRecord,
    'District',
    input.districtId,
  );
  const now = new Date();
  const openedByLandlordId = await campaignOpener(context, district._id, input.landlordId);
  const landlordIds = openedByLandlordId
    ? [openedByLandlordId]
    : [...(await context.directory.landlordsOfDistrict(district._id)).keys()].sort();
  if (input.endsOn < input.startsOn) throw badInput('endsOn must not be before startsOn.', 'endsOn');
  if (daysBetween(input.startsOn, input.endsOn) >= MAX_CAMPAIGN_DAYS)
    throw badInput(`A campaign lasts at most ${MAX_CAMPAIGN_DAYS} days.`, 'endsOn');
  if (input.endsOn < dayOf(now)) throw badInput('endsOn must not be in the past: a campaign is opened to be run.', 'endsOn');
  const title = optionalText(input.title, 'title', 200);
  if (input.reason === 'OTHER' && !title) throw badInput('A campaign for another reason needs a title saying what it is.', 'title');
  const opened: CampaignDocument = {
    _id: newId(),
    districtId: district._id,
    reason: input.reason,
    title: title ?? `${REASON_TITLES[input.reason]} du ${input.startsOn} au ${input.endsOn}`,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    openedByLandlordId,
    landlordIds,
    clientMutationId: optionalText(input.clientMutationId, 'clientMutationId', 100),
    purgedAt: null,
    archivedFigures: null,
    version: 1,
    audit: newAuditTrail(context.caller, now),
  };
  const campaign = await context.store.campaigns.open(opened);
  // A replayed open returns the campaign first opened, whose lists were built then.
  if (campaign._id === opened._id) {
    for (const landlordId of campaign.landlordIds) await buildCallList(context, campaign, landlordId, now);
  }
  return campaign;
}

/**
 * The landlord a campaign is opened for: its staff's own (with buildings in the district), or the one an admin names;
 * null for every landlord of the district, which the district's coordinators (and admins naming none) open.
 */
async function campaignOpener(context: Context, districtId: string, landlordId: string | null | undefined): Promise<string | null> {
  const { access } = context;
  if (access.caller.role === 'COORDINATOR') {
    access.assertCoordinates(districtId);
    if (landlordId)
      throw badInput('A coordinator opens a campaign for every landlord of the district: leave landlordId out.', 'landlordId');
    return null;
  }
  if (access.isAdmin && !landlordId) return null;
  const opener = access.actingLandlord(landlordId);
  await access.assertLandlordOfDistrict(opener, districtId);
  return opener;
}

/** Adds to a landlord's call list its current households of the district that are eligible and not listed yet. */
async function buildCallList(context: Context, campaign: CampaignDocument, landlordId: string, now: Date): Promise<number> {
  const { households, campaignCalls } = context.store;
  const [current, listed] = await Promise.all([
    households.currentOfLandlordInDistrict(landlordId, campaign.districtId),
    campaignCalls.listedHouseholds(campaign._id, landlordId),
  ]);
  const firstDue = campaign.startsOn > dayOf(now) ? campaign.startsOn : dayOf(now);
  const calls: CampaignCallDocument[] = [];
  for (const household of current) {
    if (listed.has(household._id)) continue;
    const profile = householdProfile(household);
    const listedFor = callListReasons(profile);
    if (listedFor.length === 0) continue;
    calls.push({
      _id: newId(),
      campaignId: campaign._id,
      landlordId,
      districtId: campaign.districtId,
      householdId: household._id,
      listedFor,
      status: 'TO_CALL',
      attempts: [],
      needs: [],
      referralConsent: 'NOT_ASKED',
      nextAttemptOn: firstDue,
      lastCalledBy: null,
      claimedBy: null,
      claimExpiresAt: null,
      priority: callPriority(profile),
      version: 1,
      audit: newAuditTrail(context.caller, now),
    });
  }
  return campaignCalls.addToList(calls);
}

async function requireCampaign(context: Context, id: string): Promise<CampaignDocument> {
  return context.access.require(await context.store.campaigns.byId(id), recordInDistrict, 'Campaign', id);
}

/** The landlord of a campaign the caller acts for: its staff's own, or the one an admin names; it must take part. */
function participant(context: Context, campaign: CampaignDocument, landlordId: string | null | undefined): string {
  const acting = context.access.actingLandlord(landlordId);
  if (!campaign.landlordIds.includes(acting)) {
    throw context.access.landlordRefusal(
      'Your landlord does not take part in this campaign.',
      `Landlord ${acting} does not take part in this campaign.`,
    );
  }
  return acting;
}

export async function refreshCallList(
  context: Context,
  campaignId: string,
  landlordId: string | null | undefined,
): Promise<CampaignDocument> {
  const campaign = await requireCampaign(context, campaignId);
  const acting = participant(context, campaign, landlordId);
  const now = new Date();
  const status = campaignStatus(campaign, now);
  if (status === 'ENDED' || status === 'PURGED') throw badInput(`The campaign is ${status}: its call list no longer changes.`);
  await buildCallList(context, campaign, acting, now);
  return campaign;
}

export async function endCampaign(context: Context, id: string, expectedVersion: number): Promise<CampaignDocument> {
  const campaign = await requireCampaign(context, id);
  const { access } = context;
  const mayEnd =
    access.coordinates(campaign.districtId) || (campaign.openedByLandlordId !== null && access.ownsDataOf(campaign.openedByLandlordId));
  if (!mayEnd) throw forbidden('Only whoever opened the campaign (its landlord, or the district’s coordinators) can end it.');
  const now = new Date();
  const status = campaignStatus(campaign, now);
  if (status === 'ENDED' || status === 'PURGED') throw badInput(`The campaign is ${status} already.`);
  const today = dayOf(now);
  const ended = await context.store.campaigns.change(
    id,
    expectedVersion,
    { endsOn: today, startsOn: campaign.startsOn < today ? campaign.startsOn : today },
    context.caller,
  );
  await context.store.campaignCalls.closeUnreached(id, context.caller);
  return ended;
}

/** Landlord staff only: a call is made by a person of the landlord. */
function requireCaller(context: Context): string {
  const caller = context.access.caller;
  if (caller.role !== 'LANDLORD_STAFF') throw forbidden('Only landlord staff call households.');
  return caller.landlordId;
}

export async function claimNextCall(context: Context, campaignId: string): Promise<CampaignCallDocument | null> {
  const landlordId = requireCaller(context);
  const campaign = await requireCampaign(context, campaignId);
  participant(context, campaign, landlordId);
  const now = new Date();
  const status = campaignStatus(campaign, now);
  if (status !== 'ACTIVE') throw badInput(`The campaign is ${status}: calls are claimed while it is ACTIVE.`);
  return context.store.campaignCalls.claimNext({
    campaignId,
    landlordId,
    caller: context.caller,
    now,
    leaseMs: context.store.campaignSettings.claimLeaseMs,
  });
}

async function requireCall(context: Context, id: string): Promise<CampaignCallDocument> {
  const call = await context.access.require(await context.store.campaignCalls.byId(id), privateRecord, 'CampaignCall', id);
  context.access.actingLandlord(call.landlordId);
  return call;
}

/** Who holds the call at `now`: its claimant while the lease runs, else nobody. */
export function callHolder(call: CampaignCallDocument, now: Date): string | null {
  return call.claimExpiresAt !== null && call.claimExpiresAt > now ? call.claimedBy : null;
}

export function holdsCall(call: CampaignCallDocument, sub: string, now: Date): boolean {
  return callHolder(call, now) === sub;
}

export async function releaseCall(context: Context, id: string, expectedVersion: number): Promise<CampaignCallDocument> {
  const call = await requireCall(context, id);
  if (!holdsCall(call, context.caller.sub, new Date())) throw badInput('You do not hold this call.');
  return context.store.campaignCalls.applyChange(
    call,
    {
      expectedVersion,
      allowedFrom: ['TO_CALL'],
      refusal: (status) => `The call is ${status}: there is nothing to give back.`,
      set: { claimedBy: null, claimExpiresAt: null },
    },
    context.caller,
  );
}

export async function recordCallAttempt(context: Context, input: RecordCallAttemptInput): Promise<CampaignCallDocument> {
  const call = await requireCall(context, input.callId);
  const campaign = await requireCampaign(context, call.campaignId);
  const now = new Date();
  if (campaignStatus(campaign, now) !== 'ACTIVE') throw badInput('Attempts are recorded while the campaign is ACTIVE.');
  const holder = callHolder(call, now);
  if (holder !== null && holder !== context.caller.sub) {
    throw conflict('Another caller holds this call: it is theirs until their claim lapses.', { claimExpiresAt: call.claimExpiresAt });
  }
  const attemptedAt = input.attemptedAt ?? now;
  requireNotInFuture(attemptedAt, 'attemptedAt', now);
  if (dayOf(attemptedAt) < campaign.startsOn) throw badInput('attemptedAt must be within the campaign.', 'attemptedAt');
  const previous = call.attempts.at(-1);
  if (previous && attemptedAt < previous.attemptedAt) throw badInput('attemptedAt must not be before the previous attempt.', 'attemptedAt');
  const reached = input.outcome === 'REACHED';
  const needs = distinctNeeds(input.needs ?? []);
  if (!reached && needs.length > 0) throw badInput('Needs are recorded with a REACHED attempt only.', 'needs');
  const consent = input.referralConsent ?? null;
  if (consent !== null && (!reached || (consent !== 'GIVEN' && consent !== 'REFUSED'))) {
    throw badInput('referralConsent is GIVEN or REFUSED, with a REACHED attempt.', 'referralConsent');
  }
  const attempts = [...call.attempts, { attemptedAt, outcome: input.outcome, calledBy: context.caller.sub }];
  return context.store.campaignCalls.applyChange(
    call,
    {
      expectedVersion: input.expectedVersion,
      allowedFrom: ['TO_CALL'],
      refusal: (status) => `The call is ${status}: no more attempts are made.`,
      set: {
        ...callAfterAttempt(attempts),
        attempts,
        needs,
        ...(consent ? { referralConsent: consent } : {}),
        lastCalledBy: context.caller.sub,
        claimedBy: null,
        claimExpiresAt: null,
      },
    },
    context.caller,
  );
}

function distinctNeeds(needs: readonly CallNeed[]): CallNeed[] {
  if (new Set(needs).size !== needs.length) throw badInput('needs names a need more than once.', 'needs');
  return [...needs];
}

export async function recordReferralConsent(
  context: Context,
  callId: string,
  consent: ReferralConsent,
  expectedVersion: number,
): Promise<CampaignCallDocument> {
  const call = await requireCall(context, callId);
  if (consent === 'NOT_ASKED') throw badInput('Record the answer: GIVEN, REFUSED, or WITHDRAWN once given.', 'consent');
  if (consent === 'WITHDRAWN' && call.referralConsent !== 'GIVEN') throw badInput('Only a consent given can be withdrawn.', 'consent');
  const changed = await context.store.campaignCalls.applyChange(
    call,
    {
      expectedVersion,
      allowedFrom: ['REACHED'],
      refusal: (status) => `The call is ${status}: consent is asked of a household reached.`,
      set: { referralConsent: consent },
    },
    context.caller,
  );
  if (consent !== 'GIVEN') await context.store.referrals.withdrawPendingOfCall(callId, context.caller);
  return changed;
}

export async function referNeed(context: Context, input: ReferNeedInput): Promise<ReferralDocument> {
  const call = await requireCall(context, input.callId);
  if (call.status !== 'REACHED') throw badInput('Needs of a household reached only are referred.', 'callId');
  if (!call.needs.includes(input.need)) throw badInput(`The household did not express ${input.need}.`, 'need');
  const service = SERVICE_FOR_NEED[input.need];
  if (!service) throw badInput('A health concern that needs the emergency services is not referred to a partner: call 15 or 112.', 'need');
  if (call.referralConsent !== 'GIVEN') throw forbidden('Without the tenant’s consent to a referral, nothing leaves the landlord.');
  const partner = await context.directory.partners.load(input.partnerId);
  if (!partner || !(await context.access.canSeePartner(partner))) throw notFound('Partner', input.partnerId);
  if (!partner.districtIds.includes(call.districtId)) throw badInput('This partner does not serve the campaign’s district.', 'partnerId');
  if (!partner.services.includes(service)) throw badInput(`This partner does not offer ${service}.`, 'partnerId');
  const now = new Date();
  return context.store.referrals.insert(
    {
      _id: newId(),
      campaignId: call.campaignId,
      callId: call._id,
      landlordId: call.landlordId,
      districtId: call.districtId,
      householdId: call.householdId,
      partnerId: partner._id,
      need: input.need,
      status: 'PENDING',
      standing: true,
      referredAt: now,
      outcomeAt: null,
      version: 1,
      audit: newAuditTrail(context.caller, now),
    },
    'This need is already with a partner (pending or done).',
  );
}

export async function recordReferralOutcome(
  context: Context,
  id: string,
  done: boolean,
  expectedVersion: number,
): Promise<ReferralDocument> {
  const { access } = context;
  const referral = await access.require(await context.store.referrals.byId(id), referredRecord, 'Referral', id);
  if (!access.isAdmin && access.partnerId !== referral.partnerId)
    throw forbidden('Only the partner the need was referred to records its outcome.');
  return context.store.referrals.applyChange(
    referral,
    {
      expectedVersion,
      allowedFrom: ['PENDING', 'DONE', 'NOT_DONE'],
      refusal: (status) => `The referral is ${status}: the tenant withdrew consent, there is nothing to record.`,
      set: { status: done ? 'DONE' : 'NOT_DONE', standing: done, outcomeAt: new Date() },
    },
    context.caller,
  );
}
