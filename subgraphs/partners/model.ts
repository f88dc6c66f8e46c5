import type { AuditTrail } from '../shared/audit';
import type { AgreementKind, PartnerKind, PartnerService } from './generated/resolvers';

/** The stored shape of the partners subgraph's records (one collection each). */

export interface PartnerDocument {
  _id: string;
  name: string;
  kind: PartnerKind;
  /** 14 digits; identifies the partner when set. */
  siret: string | null;
  /** CNLRQ label: régies de quartier only. */
  cnlrqLabel: boolean;
  services: PartnerService[];
  /** The districts the partner serves: what it and the districts' members may see of each other. */
  districtIds: string[];
  audit: AuditTrail;
}

export interface AgreementDocument {
  _id: string;
  partnerId: string;
  districtId: string;
  landlordIds: string[];
  kind: AgreementKind;
  services: PartnerService[];
  /** Calendar dates, 'YYYY-MM-DD': they compare as strings. */
  validFrom: string;
  validTo: string | null;
  audit: AuditTrail;
}
