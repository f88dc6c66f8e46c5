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

/** A landlord's TFPB report is for one district and year. */
export interface TfpbScope {
  landlordId: string;
  districtId: string;
  year: number;
}

/** One line of a landlord's own TFPB programme (beyond its joint actions). */
export interface TfpbEntryModel {
  id: string;
  axis: TfpbAxis;
  label: string;
  plannedCents: number;
  spentCents: number;
  coFinancingCents: number;
  coFinancers: string | null;
}

/** A landlord's TFPB programme of a district and year: the abatement of its tax notice and its own lines. */
export interface TfpbProgrammeDocument extends TfpbScope {
  _id: string;
  abatementCents: number | null;
  /** The dwellings the abatement covers, when the landlord entered it; else housing's count is used. */
  dwellingCount: number | null;
  entries: TfpbEntryModel[];
  version: number;
  audit: AuditTrail;
}

/** Totals against the abatement, for one landlord or a whole district. */
export interface TfpbTotalsModel {
  totalPlannedCents: number;
  totalSpentCents: number;
  totalCoFinancingCents: number;
  spendingToAbatement: number | null;
  spentPerDwellingCents: number | null;
  coFinancingLeverage: number | null;
}

export interface TfpbReportModel extends TfpbScope, TfpbTotalsModel {
  axes: TfpbAxisLine[];
  totalCostCents: number;
  abatementCents: number | null;
  dwellingCount: number;
  entries: TfpbEntryModel[];
  version: number;
  csv: string;
}

export interface TfpbAxisTotalsModel {
  axis: TfpbAxis;
  plannedCents: number;
  spentCents: number;
  coFinancingCents: number;
}

export interface TfpbLandlordTotalsModel extends TfpbTotalsModel {
  landlordId: string;
  abatementCents: number | null;
  dwellingCount: number;
  axes: TfpbAxisTotalsModel[];
}

export interface TfpbDistrictTableModel {
  districtId: string;
  year: number;
  landlords: TfpbLandlordTotalsModel[];
  axes: TfpbAxisTotalsModel[];
  totalAbatementCents: number;
  totalPlannedCents: number;
  totalSpentCents: number;
  totalCoFinancingCents: number;
  spendingToAbatement: number | null;
  csv: string;
}
