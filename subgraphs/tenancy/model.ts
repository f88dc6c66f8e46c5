import type { AuditTrail } from '../shared/audit';
import type { RequestCategory, RequestChannel, RequestStatus, SatisfactionTheme } from './generated/resolvers';

/** The stored shape of the tenancy subgraph's records (one collection each). */

export interface ServiceRequestDocument {
  _id: string;
  buildingId: string;
  dwellingId: string | null;
  /** Copied from the building so that access checks and district stats need no join. */
  landlordId: string;
  districtId: string;
  category: RequestCategory;
  channel: RequestChannel;
  status: RequestStatus;
  openedAt: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  description: string | null;
  /** The client's key for an idempotent open; unique per landlord. */
  clientMutationId: string | null;
  version: number;
  audit: AuditTrail;
  /** Set by each write until its change is counted in the request's statistics cell (see requestCellsReconciliation.ts). */
  cellPendingSince?: Date;
}

export interface HouseholdDocument {
  _id: string;
  dwellingId: string;
  /** Copied from the dwelling so that access checks and district-wide lists need no join. */
  landlordId: string;
  districtId: string;
  /** 'YYYY-MM-DD' */
  since: string;
  size: number;
  contactName: string | null;
  phone: string | null;
  vulnerable: boolean;
  /** True for the one household living in the dwelling now; its predecessors stay as history. */
  current: boolean;
  /** When a newer household replaced this one. */
  movedOutAt: Date | null;
  audit: AuditTrail;
}

export interface SatisfactionScoreModel {
  theme: SatisfactionTheme;
  respondents: number;
  /** Stored, never served: only the rate is, under the small-cells rule. */
  satisfied: number;
}

export interface SatisfactionSurveyDocument {
  _id: string;
  landlordId: string;
  districtId: string;
  year: number;
  themes: SatisfactionScoreModel[];
  audit: AuditTrail;
}
