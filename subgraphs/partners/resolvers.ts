import { partnerRecord, recordInDistrict, visibleDistricts } from '../shared/access';
import { auditField } from '../shared/audit';
import { reference } from '../shared/directory';
import { requireLoaded } from '../shared/records';
import { CalendarDate, DateTime } from '../shared/scalars';
import * as commands from './commands';
import type { PartnerService, Resolvers } from './generated/resolvers';
import type { Context } from './index';
import type { PartnerDocument } from './model';

/** Thin: each field names the data it needs and the rule it obeys; the work is in the store and `access`. */

/** A district's partners: none for a caller outside the district (lists filter, they never fail). */
async function partnersOfDistrict(
  context: Context,
  districtId: string,
  service: PartnerService | null | undefined,
): Promise<PartnerDocument[]> {
  return (await context.access.canSeeDistrict(districtId)) ? context.store.partners.ofDistrict(districtId, service) : [];
}

export const resolvers: Resolvers = {
  DateTime,
  Date: CalendarDate,

  Query: {
    partners: async (_, { districtId, service }, context) =>
      districtId
        ? partnersOfDistrict(context, districtId, service)
        : context.store.partners.list(await visibleDistricts(context.access), service),
    partner: async (_, { id }, context) => context.access.known(await context.store.partners.byId(id), partnerRecord),
  },

  Mutation: {
    registerPartner: (_, { input }, context) => commands.registerPartner(context, input),
    signAgreement: (_, { input }, context) => commands.signAgreement(context, input),
  },

  Partner: {
    __resolveReference: async (ref, context) => context.access.known(await context.store.partners.byId(ref.id), partnerRecord),
    kind: (partner) => commands.currentPartnerKind(partner.kind),
    districts: async (partner, _, context) => (await context.access.filterVisible(partner.districtIds, (id) => [id])).map(reference),
    agreements: async (partner, _, context) => context.store.agreements.ofPartner(partner._id, await visibleDistricts(context.access)),
    audit: auditField,
  },

  Agreement: {
    __resolveReference: async (ref, context) => context.access.known(await context.store.agreements.byId(ref.id), recordInDistrict),
    partner: (agreement, _, context) => requireLoaded(context.store.partners.byId(agreement.partnerId)),
    landlords: (agreement) => agreement.landlordIds.map(reference),
    district: (agreement) => reference(agreement.districtId),
    audit: auditField,
  },

  District: {
    partners: (district, { service }, context) => partnersOfDistrict(context, district.id, service),
  },

  Landlord: {
    agreements: async (landlord, _, context) => context.store.agreements.ofLandlord(landlord.id, await visibleDistricts(context.access)),
  },
};
