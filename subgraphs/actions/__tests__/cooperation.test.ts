import type { GraphQLError } from 'graphql';
import {
  accepted,
  declined,
  invitationsOf,
  invited,
  left,
  pendingInvitationOf,
  pendingInvitationsTo,
  withCostShare,
  withPartner,
  withoutPartner,
} from '../cooperation';
import type { ActionDocument, ActionInvitationModel } from '../model';

const MONDAY = new Date('2026-03-02T09:00:00Z');
const TUESDAY = new Date('2026-03-03T09:00:00Z');

/** An action led by `lead`, co-organised by `co`: only the fields the rules read matter. */
function action(overrides: Partial<ActionDocument> = {}): ActionDocument {
  return {
    _id: 'action-1',
    proposedByLandlordId: 'lead',
    organiserIds: ['lead', 'co'],
    costShares: [
      { landlordId: 'lead', amountCents: 400 },
      { landlordId: 'co', amountCents: 250 },
    ],
    invitations: [],
    partnerIds: ['regie'],
    ...overrides,
  } as ActionDocument;
}

const pending = (landlordId: string, invitedAt = MONDAY): ActionInvitationModel => ({
  landlordId,
  status: 'PENDING',
  invitedAt,
  answeredAt: null,
});

function codeOf(step: () => unknown): unknown {
  try {
    step();
  } catch (error) {
    return (error as GraphQLError).extensions.code;
  }
  return 'NO_ERROR';
}

describe('the cooperation rules of an action', () => {
  it('invites a landlord once, never an organiser, and again after it declined', () => {
    expect(invited(action(), 'third', MONDAY)).toEqual({ invitations: [pending('third')] });
    expect(codeOf(() => invited(action(), 'co', MONDAY))).toBe('CONFLICT');
    expect(codeOf(() => invited(action(), 'lead', MONDAY))).toBe('CONFLICT');
    expect(codeOf(() => invited(action({ invitations: [pending('third')] }), 'third', TUESDAY))).toBe('CONFLICT');

    const afterDecline = action({ invitations: [{ ...pending('third'), status: 'DECLINED', answeredAt: MONDAY }, pending('fourth')] });
    expect(invited(afterDecline, 'third', TUESDAY)).toEqual({ invitations: [pending('fourth'), pending('third', TUESDAY)] });
  });

  it('makes the landlord that accepts the last organiser, with its share, and drops its invitation', () => {
    const withInvitations = action({ invitations: [pending('third'), pending('fourth')] });
    expect(accepted(withInvitations, 'third', 0)).toEqual({
      organiserIds: ['lead', 'co', 'third'],
      costShares: [...withInvitations.costShares, { landlordId: 'third', amountCents: 0 }],
      invitations: [pending('fourth')],
    });
  });

  it('marks a declined invitation, which is then no longer pending', () => {
    const withInvitation = action({ invitations: [pending('third')] });
    const { invitations } = declined(withInvitation, 'third', TUESDAY);
    expect(invitations).toEqual([{ landlordId: 'third', status: 'DECLINED', invitedAt: MONDAY, answeredAt: TUESDAY }]);
    expect(pendingInvitationOf({ invitations }, 'third')).toBeUndefined();
  });

  it('lets an organiser other than the lead leave with its share; the lead cannot', () => {
    expect(left(action(), 'co')).toEqual({ organiserIds: ['lead'], costShares: [{ landlordId: 'lead', amountCents: 400 }] });
    expect(codeOf(() => left(action(), 'lead'))).toBe('BAD_USER_INPUT');
  });

  it("changes one organiser's share only, keeping the shares in the order of the organisers", () => {
    expect(withCostShare(action(), 'lead', 900)).toEqual({
      costShares: [
        { landlordId: 'lead', amountCents: 900 },
        { landlordId: 'co', amountCents: 250 },
      ],
    });
    expect(withCostShare(action(), 'co', 0).costShares.map((share) => share.landlordId)).toEqual(['lead', 'co']);
  });

  it('attaches a partner last and once, and detaches only a partner taking part', () => {
    expect(withPartner(action(), 'mediators')).toEqual({ partnerIds: ['regie', 'mediators'] });
    expect(codeOf(() => withPartner(action(), 'regie'))).toBe('CONFLICT');
    expect(withoutPartner(action({ partnerIds: ['regie', 'mediators'] }), 'regie')).toEqual({ partnerIds: ['mediators'] });
    expect(codeOf(() => withoutPartner(action(), 'mediators'))).toBe('BAD_USER_INPUT');
  });

  it("lists a landlord's pending invitations oldest first, and none of an action stored before invitations existed", () => {
    const later = action({ _id: 'action-2', invitations: [pending('third', TUESDAY)] });
    const earlier = action({ _id: 'action-3', invitations: [pending('third', MONDAY)] });
    const declinedOne = action({ _id: 'action-4', invitations: [{ ...pending('third'), status: 'DECLINED', answeredAt: TUESDAY }] });
    expect(
      pendingInvitationsTo('third', [later, earlier, declinedOne]).map((invitation) => [invitation.actionId, invitation.invitedAt]),
    ).toEqual([
      ['action-3', MONDAY],
      ['action-2', TUESDAY],
    ]);
    expect(invitationsOf({})).toEqual([]);
  });
});
