import type { AuditTrail } from '../shared/audit';
import type {
  AgeBand,
  CallListReason,
  CallNeed,
  CallOutcome,
  CallStatus,
  CampaignReason,
  ContactAccessKind,
  ContactChannel,
  ContactConsent,
  ContactTimeSlot,
  ReferralConsent,
  ReferralStatus,
  RequestCategory,
  RequestChannel,
  RequestStatus,
  SatisfactionTheme,
} from './generated/resolvers';

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
  /**
   * The wellbeing-call profile and its version: absent from households stored before profiles existed, which read
   * as the defaults (see `householdProfile`) at version 1.
   */
  contactFirstName?: string | null;
  eldestMemberAgeBand?: AgeBand | null;
  livesAlone?: boolean;
  contactConsent?: ContactConsent;
  preferredChannel?: ContactChannel | null;
  preferredTimes?: ContactTimeSlot[];
  entrance?: string | null;
  version?: number;
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

/** A wellbeing-call campaign: shared with its district. */
export interface CampaignDocument {
  _id: string;
  districtId: string;
  reason: CampaignReason;
  title: string;
  /** 'YYYY-MM-DD', UTC calendar days; endsOn included. */
  startsOn: string;
  endsOn: string;
  /** The landlord that opened it for itself; null when opened for every landlord of the district. */
  openedByLandlordId: string | null;
  landlordIds: string[];
  /** The client's key for an idempotent open; unique per district. */
  clientMutationId: string | null;
  /** Set by the purge, with the figures the call data gave, so that progress outlives it. */
  purgedAt: Date | null;
  archivedFigures: LandlordCampaignCounts[] | null;
  version: number;
  audit: AuditTrail;
}

/** One landlord's raw counts in a campaign, before any disclosure rule. */
export interface LandlordCampaignCounts {
  landlordId: string;
  households: number;
  reached: number;
  needs: Partial<Record<CallNeed, number>>;
  referralsDone: number;
}

export interface CallAttemptModel {
  attemptedAt: Date;
  outcome: CallOutcome;
  calledBy: string;
}

/** One household of a landlord's call list in a campaign: private to the landlord; deleted by the purge. */
export interface CampaignCallDocument {
  _id: string;
  campaignId: string;
  landlordId: string;
  districtId: string;
  householdId: string;
  listedFor: CallListReason[];
  status: CallStatus;
  attempts: CallAttemptModel[];
  needs: CallNeed[];
  referralConsent: ReferralConsent;
  /** 'YYYY-MM-DD': due from that UTC day; null once the call is over. */
  nextAttemptOn: string | null;
  /** Who made its last attempt (token subject): its retry is theirs first, on the day it is due. */
  lastCalledBy: string | null;
  /** Who claimed the call, and until when: nobody else may claim it before then. */
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** Eldest first within a due day: the order calls are claimed in. */
  priority: number;
  version: number;
  audit: AuditTrail;
}

/** A need passed on to a partner; the partner reads it, the contact only while the household consents. */
export interface ReferralDocument {
  _id: string;
  campaignId: string;
  callId: string;
  landlordId: string;
  districtId: string;
  householdId: string;
  partnerId: string;
  need: CallNeed;
  status: ReferralStatus;
  /** PENDING or DONE: the need is with this partner, and (a unique index) with no other. */
  standing: boolean;
  referredAt: Date;
  outcomeAt: Date | null;
  version: number;
  audit: AuditTrail;
}

/** The contact a referral shows its partner. */
export interface ReferralContactModel {
  firstName: string | null;
  address: string;
  entrance: string | null;
  phone: string | null;
}

/** One reading or export of a household's contact data. */
export interface ContactAccessDocument {
  _id: string;
  landlordId: string;
  householdId: string;
  kind: ContactAccessKind;
  at: Date;
  by: string;
  role: string;
  partnerId: string | null;
  campaignId: string | null;
}
