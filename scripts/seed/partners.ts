import type { AgreementDocument, PartnerDocument } from '../../subgraphs/partners/model';
import { type HousingPlan, padded, seedAudit } from './housing';
import { DEMO_PARTNER_IDS, DEMO_PARTNER_NAMES, PARTNER_TEMPLATES, type PartnerTemplate } from './names';

export type DistrictPartners = Record<PartnerTemplate['key'], string>;

/**
 * Every district's two partners: a CNLRQ-labelled régie de quartier working for all of the district's landlords
 * under a reserved contract (marché réservé), and an association under a convention with one landlord.
 */
export function plannedPartners(
  plan: HousingPlan,
  now: Date,
): { partners: PartnerDocument[]; agreements: AgreementDocument[]; ofDistrict: Map<string, DistrictPartners> } {
  const year = now.getUTCFullYear();
  const audit = seedAudit(new Date(Date.UTC(year - 1, 0, 1)));
  const partners: PartnerDocument[] = [];
  const agreements: AgreementDocument[] = [];
  const ofDistrict = new Map<string, DistrictPartners>();
  plan.districts.forEach((district, districtIndex) => {
    const ids = {} as DistrictPartners;
    const landlordIds = plan.landlordsOfDistrict.get(district._id) ?? [];
    for (const template of PARTNER_TEMPLATES) {
      const _id = districtIndex === 0 ? DEMO_PARTNER_IDS[template.key] : `partner-${padded(districtIndex + 1, 4)}-${template.key}`;
      ids[template.key] = _id;
      partners.push({
        _id,
        name: districtIndex === 0 ? DEMO_PARTNER_NAMES[template.key] : `${template.name} (${district.name})`,
        kind: template.kind,
        siret: null,
        cnlrqLabel: template.cnlrqLabel,
        services: template.services,
        districtIds: [district._id],
        audit,
      });
      if (landlordIds.length === 0) continue;
      const regie = template.key === 'regie';
      agreements.push({
        _id: `agreement-${_id.slice('partner-'.length)}`,
        partnerId: _id,
        districtId: district._id,
        landlordIds: regie ? landlordIds : landlordIds.slice(0, 1),
        kind: regie ? 'RESERVED_CONTRACT' : 'CONVENTION',
        services: regie ? ['CLEANING', 'BULKY_WASTE_COLLECTION'] : ['COMMUNITY_EVENTS', 'GREEN_SPACES'],
        validFrom: regie ? `${year - 1}-01-01` : `${year - 1}-03-01`,
        validTo: regie ? `${year + 1}-12-31` : null,
        audit,
      });
    }
    ofDistrict.set(district._id, ids);
  });
  return { partners, agreements, ofDistrict };
}
