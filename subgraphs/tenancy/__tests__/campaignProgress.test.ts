import { discloseMeasure, disclosedProgress } from '../campaignProgress';
import type { LandlordCampaignCounts } from '../model';

const row = (landlordId: string, households: number, reached = 0): LandlordCampaignCounts => ({
  landlordId,
  households,
  reached,
  needs: {},
  referralsDone: 0,
});

describe("a campaign's progress under the small-cells rule", () => {
  it('gives admins every figure exactly', () => {
    const progress = disclosedProgress([row('a', 3), row('b', 40)], { exactEverywhere: true, ownLandlordId: null });
    expect(progress.total.households).toEqual({ count: 43, disclosure: 'EXACT' });
    expect(progress.byLandlord.map((entry) => entry.figures.households)).toEqual([
      { count: 3, disclosure: 'EXACT' },
      { count: 40, disclosure: 'EXACT' },
    ]);
  });

  it("gives a landlord its own row exactly, and withholds another's under 11", () => {
    const measure = discloseMeasure([3, 10, 40], [true, false, false], false);
    expect(measure.rows[0]).toEqual({ count: 3, disclosure: 'EXACT' });
    expect(measure.rows[1]).toEqual({ count: null, disclosure: 'WITHHELD_SMALL_CELL' });
    // 40 and the total would give the 10 away: the 40 is withheld too (the total rests on 50 of others).
    expect(measure.rows[2]).toEqual({ count: null, disclosure: 'WITHHELD_COMPLEMENTARY' });
    expect(measure.total).toEqual({ count: 53, disclosure: 'PUBLISHED' });
  });

  it('withholds the total when it rests on fewer than 11 households of others, or nothing else can protect a small row', () => {
    expect(discloseMeasure([30, 4], [true, false], false).total).toEqual({ count: null, disclosure: 'WITHHELD_SMALL_CELL' });
    // Only one other landlord, withheld: the total minus the caller's own would give it.
    expect(discloseMeasure([30, 4, 0], [true, false, false], false).total.disclosure).toBe('WITHHELD_SMALL_CELL');
    const coordinator = discloseMeasure([5, 30], [false, false], false);
    expect(coordinator.rows.map((cell) => cell.disclosure)).toEqual(['WITHHELD_SMALL_CELL', 'WITHHELD_COMPLEMENTARY']);
    expect(coordinator.total).toEqual({ count: 35, disclosure: 'PUBLISHED' });
  });

  it('shows every row once withheld rows together hold 11 or more', () => {
    const measure = discloseMeasure([6, 7, 50], [false, false, false], false);
    expect(measure.rows.map((cell) => cell.count)).toEqual([null, null, 50]);
    expect(measure.total.count).toBe(63);
  });

  it('gives a landlord taking part alone its own total exactly', () => {
    expect(discloseMeasure([3], [true], false).total).toEqual({ count: 3, disclosure: 'EXACT' });
  });
});
