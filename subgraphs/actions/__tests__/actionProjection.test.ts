import { actionProjection } from '../data/actions';

describe('actionProjection', () => {
  it('reads the stored fields behind the selected ones, with the id and the district', () => {
    expect(actionProjection(new Set(['__typename', 'id', 'title', 'organisers', 'startsAt']))).toEqual({
      _id: 1,
      districtId: 1,
      title: 1,
      organiserIds: 1,
      startsAt: 1,
    });
  });

  it('adds what an access rule reads: cost shares need the organisers', () => {
    expect(actionProjection(new Set(['costShares']))).toEqual({ _id: 1, districtId: 1, costShares: 1, organiserIds: 1 });
  });

  it('invitations need the organisers too; the lead organiser is the proposer', () => {
    expect(actionProjection(new Set(['invitations', 'leadOrganiser']))).toEqual({
      _id: 1,
      districtId: 1,
      invitations: 1,
      organiserIds: 1,
      proposedByLandlordId: 1,
    });
  });

  it('falls back to whole documents for a name it does not know', () => {
    expect(actionProjection(new Set(['title', 'somethingNew']))).toBeUndefined();
    expect(actionProjection(new Set(['constructor']))).toBeUndefined();
  });
});
