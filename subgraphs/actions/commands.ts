import { recordInDistrict } from '../shared/access';
import { newAuditTrail } from '../shared/audit';
import { badInput } from '../shared/errors';
import { newId } from '../shared/records';
import type { GuardedChange } from '../shared/versionedRecords';
import {
  optionalText,
  requireIntInRange,
  requireNotInFuture,
  requireOrderedPeriod,
  requirePositiveAmount,
  requireText,
} from '../shared/validate';
import {
  accepted,
  closedInvitations,
  declined,
  invited,
  left,
  pendingInvitationOf,
  withCostShare,
  withPartner,
  withoutPartner,
} from './cooperation';
import type { Context } from './index';
import type {
  MutationAcceptActionInvitationArgs,
  MutationAttachPartnerToActionArgs,
  MutationCancelActionArgs,
  MutationChangeCostShareArgs,
  MutationCompleteActionArgs,
  MutationDeclineActionInvitationArgs,
  MutationDetachPartnerFromActionArgs,
  MutationInviteToActionArgs,
  MutationLeaveActionArgs,
  MutationScheduleActionArgs,
  ProposeActionInput,
} from './generated/resolvers';
import { type ActionChange, allowedFrom, refusal, statusAfter } from './lifecycle';
import type { ActionDocument } from './model';
import { requireBuildingsOf, requireLandlordAndDistrict, requireLandlordOfDistrict, requirePartnersOf } from './references';
import { NO_FIGURES, districtFigures, requireRoomInTable } from './tfpbTableLimit';

/**
 * The actions subgraph's writes: each checks who may make it, validates all of its input, then writes the action's
 * one document once (a change only if the action is still as its author read it).
 */

export async function proposeAction(context: Context, input: ProposeActionInput): Promise<ActionDocument> {
  const landlordId = context.access.actingLandlord(input.landlordId);
  const title = requireText(input.title, 'title');
  const description = optionalText(input.description, 'description');
  const costShareCents = requirePositiveAmount(input.costShareCents ?? 0, 'costShareCents');
  const clientMutationId = optionalText(input.clientMutationId, 'clientMutationId', 100);
  await requireLandlordAndDistrict(context, landlordId, input.districtId);
  await context.access.assertLandlordOfDistrict(landlordId, input.districtId);
  const [buildingIds, partnerIds] = await Promise.all([
    requireBuildingsOf(context, input.districtId, input.buildingIds),
    requirePartnersOf(context, input.districtId, input.partnerIds),
  ]);
  return context.store.actions.propose({
    _id: newId(),
    title,
    description,
    kind: input.kind,
    status: 'PROPOSED',
    districtId: input.districtId,
    buildingIds,
    partnerIds,
    proposedByLandlordId: landlordId,
    organiserIds: [landlordId],
    costShares: [{ landlordId, amountCents: costShareCents }],
    invitations: [],
    startsAt: null,
    endsAt: null,
    tfpbAxis: input.tfpbAxis ?? null,
    outcome: null,
    cancellationReason: null,
    version: 1,
    clientMutationId,
    audit: newAuditTrail(context.caller),
  });
}

/** An organiser's staff, the district's coordinators or an admin invite a landlord of the district to co-organise. */
export async function inviteToAction(context: Context, args: MutationInviteToActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanManageAction(action);
  await requireLandlordOfDistrict(context, args.landlordId, action.districtId);
  return changeAction(context, action, 'invite', args.expectedVersion, invited(action, args.landlordId, new Date()));
}

/** The invited landlord accepts: it becomes an organiser with its cost share (the deprecated joinAction does the same). */
export async function acceptActionInvitation(context: Context, args: MutationAcceptActionInvitationArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  const landlordId = invitedLandlord(context, action, 'accept', args.landlordId);
  const amountCents = requirePositiveAmount(args.costShareCents ?? 0, 'costShareCents');
  await context.access.assertLandlordOfDistrict(landlordId, action.districtId);
  return changeAction(context, action, 'accept', args.expectedVersion, accepted(action, landlordId, amountCents));
}

export async function declineActionInvitation(context: Context, args: MutationDeclineActionInvitationArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  const landlordId = invitedLandlord(context, action, 'decline', args.landlordId);
  return changeAction(context, action, 'decline', args.expectedVersion, declined(action, landlordId, new Date()));
}

/** An organiser other than the lead leaves, with its cost share. */
export async function leaveAction(context: Context, args: MutationLeaveActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  const landlordId = actingOrganiser(context, action, args.landlordId);
  return changeAction(context, action, 'leave', args.expectedVersion, left(action, landlordId));
}

/**
 * An organiser changes its own cost share. Not the district's coordinators, who read the shares: a share is what the
 * landlord commits and reports (its TFPB report), which its own staff decide, as its TFPB programme.
 */
export async function changeCostShare(context: Context, args: MutationChangeCostShareArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  const landlordId = actingOrganiser(context, action, args.landlordId);
  const amountCents = requirePositiveAmount(args.costShareCents, 'costShareCents');
  return changeAction(context, action, 'changeCostShare', args.expectedVersion, withCostShare(action, landlordId, amountCents));
}

/** Those who manage the action attach a partner serving its district, as a proposal names them. */
export async function attachPartnerToAction(context: Context, args: MutationAttachPartnerToActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanManageAction(action);
  await requirePartnersOf(context, action.districtId, [args.partnerId], 'partnerId');
  return changeAction(context, action, 'attachPartner', args.expectedVersion, withPartner(action, args.partnerId));
}

export async function detachPartnerFromAction(context: Context, args: MutationDetachPartnerFromActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanManageAction(action);
  return changeAction(context, action, 'detachPartner', args.expectedVersion, withoutPartner(action, args.partnerId));
}

/** The organiser the caller acts for (its own landlord; the one an admin names), which must organise `action`. */
function actingOrganiser(context: Context, action: ActionDocument, requestedLandlordId: string | null | undefined): string {
  const landlordId = context.access.actingLandlord(requestedLandlordId);
  if (!action.organiserIds.includes(landlordId)) {
    throw context.access.landlordRefusal(
      'Your landlord does not organise this action.',
      `Landlord ${landlordId} does not organise this action.`,
    );
  }
  return landlordId;
}

/**
 * The landlord the caller answers an invitation for, which must have a pending invitation to `action`. An action
 * over has closed its invitations: the answer then says so, as the lifecycle does.
 */
function invitedLandlord(
  context: Context,
  action: ActionDocument,
  answer: 'accept' | 'decline',
  requestedLandlordId: string | null | undefined,
): string {
  const landlordId = context.access.actingLandlord(requestedLandlordId);
  if (!pendingInvitationOf(action, landlordId)) {
    if (!allowedFrom(answer).includes(action.status)) throw badInput(refusal(answer, action.status));
    throw context.access.landlordRefusal(
      "Your landlord has no pending invitation to this action: landlords join an action by invitation of its organisers or the district's coordinators.",
      `Landlord ${landlordId} has no pending invitation to this action: landlords join an action by invitation.`,
    );
  }
  return landlordId;
}

export async function scheduleAction(context: Context, args: MutationScheduleActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanManageAction(action);
  requireOrderedPeriod(args.startsAt, args.endsAt);
  return changeAction(context, action, 'schedule', args.expectedVersion, { startsAt: args.startsAt, endsAt: args.endsAt });
}

export async function completeAction(context: Context, args: MutationCompleteActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanRecordOutcome(action);
  const completedAt = args.outcome.completedAt ?? new Date();
  requireNotInFuture(completedAt, 'outcome.completedAt');
  if (action.startsAt && completedAt.getTime() < action.startsAt.getTime()) {
    throw badInput('outcome.completedAt must not be before the action starts.', 'outcome.completedAt');
  }
  if (action.tfpbAxis) {
    // Completed, its cost shares count in the TFPB table of the year it ends.
    const sharesCents = action.costShares.reduce((sum, share) => sum + share.amountCents, 0);
    const table = await districtFigures(context, action.districtId, completedAt.getUTCFullYear());
    requireRoomInTable(table, NO_FIGURES, { ...NO_FIGURES, spentCents: sharesCents });
  }
  const outcome = {
    participants: requireIntInRange(args.outcome.participants, 'outcome.participants', 0, 1_000_000),
    notes: optionalText(args.outcome.notes, 'outcome.notes'),
    completedAt,
  };
  return changeAction(context, action, 'complete', args.expectedVersion, { outcome, ...closedInvitations(action) });
}

export async function cancelAction(context: Context, args: MutationCancelActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanCancelAction(action);
  const cancellationReason = requireText(args.reason, 'reason', 500);
  return changeAction(context, action, 'cancel', args.expectedVersion, { cancellationReason, ...closedInvitations(action) });
}

/** An action shared with its district: outside it, NOT_FOUND, as for an action that does not exist. */
async function existingAction(context: Context, id: string): Promise<ActionDocument> {
  return context.access.require(await context.store.actions.byId(id), recordInDistrict, 'NeighbourhoodAction', id);
}

/** One step of the action's lifecycle, applied only to the version its author read. */
function changeAction(
  context: Context,
  action: ActionDocument,
  change: ActionChange,
  expectedVersion: number,
  set: GuardedChange<ActionDocument>['set'],
): Promise<ActionDocument> {
  return context.store.actions.applyChange(
    action,
    {
      expectedVersion,
      allowedFrom: allowedFrom(change),
      refusal: (status) => refusal(change, status),
      set: { ...set, status: statusAfter(change, action.status) },
    },
    context.caller,
  );
}
