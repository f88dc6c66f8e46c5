import type { AuditTrail } from '../shared/audit';
import type { ActionKind, ActionStatus, TfpbAxis, TfpbAxisLine } from './generated/resolvers';

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

/**
 * One document per action, cost shares included, so that joining (a new organiser and its share) is one atomic
 * update of one document.
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
  /** The proposer first, then the landlords who joined, in order. */
  organiserIds: string[];
  /** One per organiser. */
  costShares: CostShareModel[];
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
