import { lastFridayOfMay, plannedActions } from '../actions';
import { seedCounts } from '../counts';
import { planHousing } from '../housing';
import { ACTION_TEMPLATES } from '../names';
import { plannedPartners } from '../partners';

describe('the demo actions a coordinator would believe', () => {
  it('finds the last Friday of May before and after a day', () => {
    expect(lastFridayOfMay(new Date('2026-12-06T00:00:00Z'), 'before')).toEqual(new Date('2026-05-29T18:00:00Z'));
    expect(lastFridayOfMay(new Date('2026-12-06T00:00:00Z'), 'after')).toEqual(new Date('2027-05-28T18:00:00Z'));
    expect(lastFridayOfMay(new Date('2026-05-30T00:00:00Z'), 'before')).toEqual(new Date('2025-05-30T18:00:00Z'));
    expect(lastFridayOfMay(new Date('2026-03-01T00:00:00Z'), 'after')).toEqual(new Date('2026-05-29T18:00:00Z'));
  });

  it.each(['2026-12-06', '2026-06-15', '2027-02-01'])(
    'holds the Fête des voisins in late May and gives each action the participants its notes speak of (now %s)',
    (day) => {
      const now = new Date(`${day}T00:00:00Z`);
      const plan = planHousing(seedCounts(1), now);
      const actions = plannedActions(plan, plannedPartners(plan, now).ofDistrict, 40, now);
      const fetes = actions.filter((action) => action.title.startsWith('Fête des voisins') && action.startsAt);
      expect(fetes.length).toBeGreaterThan(0);
      for (const fete of fetes) {
        expect(fete.startsAt!.getUTCMonth()).toBe(4);
        expect(fete.startsAt!.getUTCDay()).toBe(5);
        expect(fete.startsAt!.getUTCDate()).toBeGreaterThanOrEqual(25);
        expect(fete.audit.createdAt.getTime()).toBeLessThan(fete.startsAt!.getTime());
        if (fete.outcome) expect(fete.outcome.completedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      }
      for (const action of actions.filter((candidate) => candidate.outcome)) {
        const template = ACTION_TEMPLATES.find((candidate) => candidate.outcomeNotes === action.outcome!.notes)!;
        expect(action.outcome!.participants).toBeGreaterThanOrEqual(template.participants[0]);
        expect(action.outcome!.participants).toBeLessThanOrEqual(template.participants[1]);
      }
    },
  );
});
