import { newAuditTrail } from '../shared/audit';
import { badInput, notFound } from '../shared/errors';
import { newId } from '../shared/ids';
import type { GuardedChange } from '../shared/versionedRecords';
import {
  optionalText,
  requireIntInRange,
  requireNotInFuture,
  requireOrderedPeriod,
  requirePositiveAmount,
  requireText,
} from '../shared/validate';
import type { Context } from './context';
import type {
  MutationCancelActionArgs,
  MutationCompleteActionArgs,
  MutationJoinActionArgs,
  MutationScheduleActionArgs,
  ProposeActionInput,
} from './generated/resolvers';
import { type ActionChange, allowedFrom, refusal, statusAfter } from './lifecycle';
import type { ActionDocument } from './model';
import { requireBuildingsOf, requireLandlordAndDistrict, requirePartnersOf } from './references';

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

export async function joinAction(context: Context, args: MutationJoinActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  const landlordId = context.access.actingLandlord(args.landlordId);
  await requireLandlordAndDistrict(context, landlordId, action.districtId);
  await context.access.assertLandlordOfDistrict(landlordId, action.districtId);
  const amountCents =
    args.costShareCents === null || args.costShareCents === undefined ? null : requirePositiveAmount(args.costShareCents, 'costShareCents');
  return changeAction(context, action, 'join', args.expectedVersion, joined(action, landlordId, amountCents));
}

/**
 * The organisers and cost shares once `landlordId` has joined: a newcomer comes last with its share (0 unless given);
 * joining again updates the share, or keeps it when none is given.
 */
function joined(action: ActionDocument, landlordId: string, amountCents: number | null): Pick<ActionDocument, 'organiserIds' | 'costShares'> {
  const previous = action.costShares.find((share) => share.landlordId === landlordId);
  const share = { landlordId, amountCents: amountCents ?? previous?.amountCents ?? 0 };
  return {
    organiserIds: action.organiserIds.includes(landlordId) ? action.organiserIds : [...action.organiserIds, landlordId],
    costShares: previous
      ? action.costShares.map((existing) => (existing.landlordId === landlordId ? share : existing))
      : [...action.costShares, share],
  };
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
  const outcome = {
    participants: requireIntInRange(args.outcome.participants, 'outcome.participants', 0, 1_000_000),
    notes: optionalText(args.outcome.notes, 'outcome.notes'),
    completedAt,
  };
  return changeAction(context, action, 'complete', args.expectedVersion, { outcome });
}

export async function cancelAction(context: Context, args: MutationCancelActionArgs): Promise<ActionDocument> {
  const action = await existingAction(context, args.id);
  context.access.assertCanManageAction(action);
  const cancellationReason = requireText(args.reason, 'reason', 500);
  return changeAction(context, action, 'cancel', args.expectedVersion, { cancellationReason });
}

async function existingAction(context: Context, id: string): Promise<ActionDocument> {
  const action = await context.store.actions.byId(id);
  if (!action) throw notFound('NeighbourhoodAction', id);
  return action;
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
