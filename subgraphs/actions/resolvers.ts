import { recordInDistrict, visibleDistricts } from '../shared/access';
import { auditField } from '../shared/audit';
import { reference } from '../shared/directory';
import { requireLoaded } from '../shared/records';
import { DateTime } from '../shared/scalars';
import { selectedFieldNames } from '../shared/selection';
import * as commands from './commands';
import { invitationView, invitationsOf, pendingInvitationsTo } from './cooperation';
import type { Resolvers } from './generated/resolvers';
import { addTfpbEntry, removeTfpbEntry, setTfpbAbatement, updateTfpbEntry } from './tfpbProgramme';
import { tfpbDistrictTableOf, tfpbReportOf } from './tfpbReport';

/** Thin: each field names the data it needs and the rule it obeys; the work is in the store and `access`. */

export const resolvers: Resolvers = {
  DateTime,

  Query: {
    action: async (_, { id }, context) => context.access.known(await context.store.actions.byId(id), recordInDistrict),
    tfpbReport: (_, args, context) => tfpbReportOf(context, args),
    tfpbDistrictTable: (_, args, context) => tfpbDistrictTableOf(context, args),
    actionInvitations: async (_, { landlordId }, context) => {
      const invited = context.access.actingLandlord(landlordId);
      return pendingInvitationsTo(invited, await context.store.actions.invitingLandlord(invited, await visibleDistricts(context.access)));
    },
  },

  Mutation: {
    proposeAction: (_, { input }, context) => commands.proposeAction(context, input),
    joinAction: (_, args, context) => commands.acceptActionInvitation(context, args),
    inviteToAction: (_, args, context) => commands.inviteToAction(context, args),
    acceptActionInvitation: (_, args, context) => commands.acceptActionInvitation(context, args),
    declineActionInvitation: (_, args, context) => commands.declineActionInvitation(context, args),
    leaveAction: (_, args, context) => commands.leaveAction(context, args),
    changeCostShare: (_, args, context) => commands.changeCostShare(context, args),
    attachPartnerToAction: (_, args, context) => commands.attachPartnerToAction(context, args),
    detachPartnerFromAction: (_, args, context) => commands.detachPartnerFromAction(context, args),
    scheduleAction: (_, args, context) => commands.scheduleAction(context, args),
    completeAction: (_, args, context) => commands.completeAction(context, args),
    cancelAction: (_, args, context) => commands.cancelAction(context, args),
    setTfpbAbatement: (_, args, context) => setTfpbAbatement(context, args),
    addTfpbEntry: (_, args, context) => addTfpbEntry(context, args),
    updateTfpbEntry: (_, args, context) => updateTfpbEntry(context, args),
    removeTfpbEntry: (_, args, context) => removeTfpbEntry(context, args),
  },

  NeighbourhoodAction: {
    __resolveReference: async (ref, context) => context.access.known(await context.store.actions.byId(ref.id), recordInDistrict),
    district: (action) => reference(action.districtId),
    buildings: (action) => action.buildingIds.map(reference),
    proposedBy: (action) => reference(action.proposedByLandlordId),
    leadOrganiser: (action) => reference(action.proposedByLandlordId),
    organisers: (action) => action.organiserIds.map(reference),
    invitations: (action, _, context) =>
      invitationsOf(action)
        .filter((invitation) => context.access.canSeeInvitation(action, invitation.landlordId))
        .map((invitation) => invitationView(action, invitation)),
    partners: (action) => action.partnerIds.map(reference),
    costShares: (action, _, context) => {
      context.access.assertCanSeeCostSharesOf(action);
      return action.costShares;
    },
    audit: auditField,
  },

  ActionInvitation: {
    action: (invitation, _, context) => requireLoaded(context.store.actions.byId(invitation.actionId)),
    landlord: (invitation) => reference(invitation.landlordId),
  },

  CostShare: {
    landlord: (share) => reference(share.landlordId),
  },

  TfpbReport: {
    landlord: (report) => reference(report.landlordId),
    district: (report) => reference(report.districtId),
  },

  TfpbDistrictTable: {
    district: (table) => reference(table.districtId),
  },

  TfpbLandlordTotals: {
    landlord: (totals) => reference(totals.landlordId),
  },

  District: {
    actions: async (district, { status, from, to }, context, info) =>
      (await context.access.canSeeDistrict(district.id))
        ? context.store.actions.ofDistrict(district.id, { status, from, to }, selectedFieldNames(info))
        : [],
  },

  Building: {
    actions: async (building, _, context) =>
      context.access.filterVisible(await context.store.actions.ofBuilding(building.id), (action) => [action.districtId]),
  },

  Landlord: {
    actions: async (landlord, _, context) => context.store.actions.organisedBy(landlord.id, await visibleDistricts(context.access)),
  },

  Partner: {
    actions: async (partner, _, context) => context.store.actions.withPartner(partner.id, await visibleDistricts(context.access)),
  },
};
