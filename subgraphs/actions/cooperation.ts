import { badInput, conflict } from '../shared/errors';
import type { ActionDocument, ActionInvitationModel, InvitationOfAction } from './model';

/**
 * Who takes part in an action, as the cooperation decides it (Coop'IB): the proposer leads it; other landlords of the
 * district join by invitation, accepting with their cost share or declining; an organiser other than the lead may
 * leave, its share going with it; each organiser may change its own share; partners of the district are attached and
 * detached. Each function gives the fields of the one update that makes the step, from the action as read, or refuses
 * the step; the status each step needs is the lifecycle's (lifecycle.ts).
 */

type Organisation = Pick<ActionDocument, 'organiserIds' | 'costShares' | 'invitations'>;

export function invitationsOf(action: Pick<ActionDocument, 'invitations'>): ActionInvitationModel[] {
  return action.invitations ?? [];
}

export function pendingInvitationOf(action: Pick<ActionDocument, 'invitations'>, landlordId: string): ActionInvitationModel | undefined {
  return invitationsOf(action).find((invitation) => invitation.landlordId === landlordId && invitation.status === 'PENDING');
}

/** The invitation as the graph shows it, with its action. */
export function invitationView(action: Pick<ActionDocument, '_id'>, invitation: ActionInvitationModel): InvitationOfAction {
  return { ...invitation, actionId: action._id };
}

/** `landlordId`'s pending invitations among `actions`, oldest first. */
export function pendingInvitationsTo(landlordId: string, actions: readonly ActionDocument[]): InvitationOfAction[] {
  return actions
    .flatMap((action) => {
      const invitation = pendingInvitationOf(action, landlordId);
      return invitation ? [invitationView(action, invitation)] : [];
    })
    .sort((a, b) => a.invitedAt.getTime() - b.invitedAt.getTime() || a.actionId.localeCompare(b.actionId));
}

/**
 * The invitations once `landlordId` is invited: refused as a duplicate when it already organises the action or has a
 * pending invitation; a declined invitation is replaced by the new one, at the end.
 */
export function invited(action: ActionDocument, landlordId: string, now: Date): Pick<Organisation, 'invitations'> {
  if (action.organiserIds.includes(landlordId)) throw conflict(`Landlord ${landlordId} already organises this action.`);
  if (pendingInvitationOf(action, landlordId)) throw conflict(`Landlord ${landlordId} is already invited to this action.`);
  return {
    invitations: [
      ...invitationsOf(action).filter((invitation) => invitation.landlordId !== landlordId),
      { landlordId, status: 'PENDING', invitedAt: now, answeredAt: null },
    ],
  };
}

/** The organisers, shares and invitations once `landlordId` has accepted its pending invitation: it comes last, with its share. */
export function accepted(action: ActionDocument, landlordId: string, amountCents: number): Organisation {
  return {
    organiserIds: [...action.organiserIds, landlordId],
    costShares: [...action.costShares, { landlordId, amountCents }],
    invitations: invitationsOf(action).filter((invitation) => invitation.landlordId !== landlordId),
  };
}

/** The invitations once `landlordId` has declined its pending invitation. */
export function declined(action: ActionDocument, landlordId: string, now: Date): Pick<Organisation, 'invitations'> {
  return {
    invitations: invitationsOf(action).map((invitation) =>
      invitation.landlordId === landlordId ? { ...invitation, status: 'DECLINED', answeredAt: now } : invitation,
    ),
  };
}

/**
 * The invitations once the action is over (done or cancelled): the pending ones are closed, since no one can join
 * it any more; the declined ones stay, as its history.
 */
export function closedInvitations(action: Pick<ActionDocument, 'invitations'>): Pick<Organisation, 'invitations'> {
  return { invitations: invitationsOf(action).filter((invitation) => invitation.status !== 'PENDING') };
}

/** The organisers and shares once the organiser `landlordId` has left; the lead organiser cannot leave. */
export function left(action: ActionDocument, landlordId: string): Pick<Organisation, 'organiserIds' | 'costShares'> {
  if (landlordId === action.proposedByLandlordId) {
    throw badInput('The lead organiser cannot leave its action: it cancels it instead.', 'landlordId');
  }
  return {
    organiserIds: action.organiserIds.filter((id) => id !== landlordId),
    costShares: action.costShares.filter((share) => share.landlordId !== landlordId),
  };
}

/** The shares once the organiser `landlordId` pays `amountCents`: its share keeps its place, in the order of the organisers. */
export function withCostShare(action: ActionDocument, landlordId: string, amountCents: number): Pick<Organisation, 'costShares'> {
  return { costShares: action.costShares.map((share) => (share.landlordId === landlordId ? { landlordId, amountCents } : share)) };
}

/** The partners once `partnerId` takes part too, last; refused as a duplicate when it already does. */
export function withPartner(action: ActionDocument, partnerId: string): Pick<ActionDocument, 'partnerIds'> {
  if (action.partnerIds.includes(partnerId)) throw conflict(`Partner ${partnerId} already takes part in this action.`);
  return { partnerIds: [...action.partnerIds, partnerId] };
}

/** The partners once `partnerId` no longer takes part; refused when it does not. */
export function withoutPartner(action: ActionDocument, partnerId: string): Pick<ActionDocument, 'partnerIds'> {
  if (!action.partnerIds.includes(partnerId)) throw badInput(`Partner ${partnerId} does not take part in this action.`, 'partnerId');
  return { partnerIds: action.partnerIds.filter((id) => id !== partnerId) };
}
