import type { AuditTrail } from '../shared/audit';
import type { ActionInvitationStatus, ActionKind, ActionStatus, TfpbAxis, TfpbAxisLine } from './generated/resolvers';

/** The stored shape of the actions subgraph's records. */

export interface CostShareModel {
  landlordId: string;
  amountCents: number;
}

export interface ActionOutcomeModel {
  participants: number;
  notes: string | null;
  completedAt: Date;
}

/** An invitation to co-organise an action, kept in the action until its landlord accepts it. */
export interface ActionInvitationModel {
  landlordId: string;
  status: ActionInvitationStatus;
  invitedAt: Date;
  /** When the landlord declined; null while pending. */
  answeredAt: Date | null;
}

/** An invitation as the graph shows it: with the action it invites to. */
export interface InvitationOfAction extends ActionInvitationModel {
  actionId: string;
}

/**
 * One document per action, cost shares and invitations included, so that each step of the cooperation (an invitation,
 * a landlord accepting it with its share, an organiser leaving with its share) is one atomic update of one document.
 */
export interface ActionDocument {
  _id: string;
  title: string;
  description: string | null;
  kind: ActionKind;
  status: ActionStatus;
  districtId: string;
  buildingIds: string[];
  partnerIds: string[];
  proposedByLandlordId: string;
  /** The proposer (the lead organiser) first, then the landlords that accepted an invitation, in order. */
  organiserIds: string[];
  /** One per organiser. */
  costShares: CostShareModel[];
  /**
   * Pending and declined invitations, oldest first; at most one per landlord, never one of an organiser. Actions
   * stored before invitations existed have none.
   */
  invitations?: ActionInvitationModel[];
  startsAt: Date | null;
  endsAt: Date | null;
  tfpbAxis: TfpbAxis | null;
  outcome: ActionOutcomeModel | null;
  cancellationReason: string | null;
  version: number;
  /** The proposer's idempotency key: unique per proposing landlord. */
  clientMutationId: string | null;
  audit: AuditTrail;
}

export interface TfpbReportModel {
  landlordId: string;
  districtId: string;
  year: number;
  axes: TfpbAxisLine[];
  totalCostCents: number;
}
