import { landlordRecord, partnerRecord } from '../shared/access';
import { newAuditTrail } from '../shared/audit';
import { badInput, notFound } from '../shared/errors';
import { newId } from '../shared/records';
import { distinctIds, requireDigits, requireDistinctValues, requireText } from '../shared/validate';
import type { PartnerKind, RegisterPartnerInput, SignAgreementInput } from './generated/resolvers';
import type { Context } from './index';
import type { AgreementDocument, PartnerDocument } from './model';

/** The partners subgraph's writes: each checks who may make it, validates all of its input, then writes. */

/**
 * A reserved contract (marché réservé, Code de la commande publique L2113-13) is open only to structures
 * d'insertion par l'activité économique (SIAE). Régies de quartier are SIAE as a rule and associations may be
 * (ateliers et chantiers d'insertion); a municipality, a social centre or a company cannot hold one.
 */
const RESERVED_CONTRACT_HOLDERS: ReadonlySet<PartnerKind> = new Set<PartnerKind>(['REGIE_DE_QUARTIER', 'ASSOCIATION']);

/** A kind as stored and shown: the deprecated NEIGHBOURHOOD_BOARD (partners registered before) is a régie de quartier. */
export function currentPartnerKind(kind: PartnerKind): PartnerKind {
  return kind === 'NEIGHBOURHOOD_BOARD' ? 'REGIE_DE_QUARTIER' : kind;
}

export async function registerPartner(context: Context, input: RegisterPartnerInput): Promise<PartnerDocument> {
  const districtIds = distinctIds(input.districtIds, 'districtIds');
  for (const districtId of districtIds) context.access.assertCoordinates(districtId);
  if (districtIds.length === 0) throw badInput('A partner serves at least one district.', 'districtIds');
  const name = requireText(input.name, 'name');
  const siret = requireDigits(input.siret, 'siret', 14);
  const services = requireDistinctValues(input.services, 'services');
  const kind = currentPartnerKind(input.kind);
  const cnlrqLabel = input.cnlrqLabel ?? false;
  if (cnlrqLabel && kind !== 'REGIE_DE_QUARTIER') {
    throw badInput('Only a régie de quartier (REGIE_DE_QUARTIER) can carry the CNLRQ label.', 'cnlrqLabel');
  }
  await requireDistricts(context, districtIds);
  return context.store.partners.register({
    _id: newId(),
    name,
    kind,
    siret,
    cnlrqLabel,
    services,
    districtIds,
    audit: newAuditTrail(context.caller),
  });
}

async function requireDistricts(context: Context, districtIds: readonly string[]): Promise<void> {
  const districts = await Promise.all(districtIds.map((id) => context.directory.districts.load(id)));
  const missing = districtIds.find((_, index) => !districts[index]);
  if (missing) throw notFound('District', missing);
}

export async function signAgreement(context: Context, input: SignAgreementInput): Promise<AgreementDocument> {
  context.access.assertCoordinates(input.districtId);
  const landlordIds = distinctIds(input.landlordIds, 'landlordIds');
  if (landlordIds.length === 0) throw badInput('An agreement binds at least one landlord.', 'landlordIds');
  const services = requireDistinctValues(input.services, 'services');
  const validTo = input.validTo ?? null;
  if (validTo !== null && validTo < input.validFrom) throw badInput('validTo must not be before validFrom.', 'validTo');

  const [storedPartner, district] = await Promise.all([
    context.store.partners.byId(input.partnerId),
    context.directory.districts.load(input.districtId),
  ]);
  if (!district) throw notFound('District', input.districtId);
  const partner = await context.access.require(storedPartner, partnerRecord, 'Partner', input.partnerId);
  // Named by the id the caller gave: a partner of another of the caller's districts is known, but not by its name here.
  if (!partner.districtIds.includes(district._id)) throw badInput(`Partner ${partner._id} does not serve this district.`, 'partnerId');
  const notOffered = services.filter((service) => !partner.services.includes(service));
  if (notOffered.length > 0) throw badInput(`${partner.name} does not offer ${notOffered.join(', ')}.`, 'services');
  if (input.kind === 'RESERVED_CONTRACT' && !RESERVED_CONTRACT_HOLDERS.has(currentPartnerKind(partner.kind))) {
    throw badInput('A reserved contract (SIAE) can only be signed with a régie de quartier or an association.', 'kind');
  }
  await requireLandlordsInDistrict(context, landlordIds, district._id);

  return context.store.agreements.register({
    _id: newId(),
    partnerId: partner._id,
    districtId: district._id,
    landlordIds,
    kind: input.kind,
    services,
    validFrom: input.validFrom,
    validTo,
    audit: newAuditTrail(context.caller),
  });
}

/** An agreement binds landlords of its district only: each must exist and own buildings there. */
async function requireLandlordsInDistrict(context: Context, landlordIds: readonly string[], districtId: string): Promise<void> {
  const [landlords, districtsOfEach] = await Promise.all([
    Promise.all(landlordIds.map((id) => context.directory.landlords.load(id))),
    Promise.all(landlordIds.map((id) => context.directory.districtsOfLandlord(id))),
  ]);
  for (const [index, landlordId] of landlordIds.entries()) {
    await context.access.require(landlords[index], landlordRecord, 'Landlord', landlordId);
    if (!districtsOfEach[index]?.includes(districtId)) {
      throw badInput(`Landlord ${landlordId} owns no buildings in this district.`, 'landlordIds');
    }
  }
}
