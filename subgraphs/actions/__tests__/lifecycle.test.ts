import type { ActionStatus } from '../generated/resolvers';
import { type ActionChange, allowedFrom, refusal, statusAfter } from '../lifecycle';

const STATUSES: ActionStatus[] = ['PROPOSED', 'SCHEDULED', 'DONE', 'CANCELLED'];

describe('the life of a neighbourhood action', () => {
  it.each<[ActionChange, ActionStatus[]]>([
    ['join', ['PROPOSED', 'SCHEDULED']],
    ['schedule', ['PROPOSED', 'SCHEDULED']],
    ['complete', ['SCHEDULED']],
    ['cancel', ['PROPOSED', 'SCHEDULED']],
  ])('allows %s from %j only', (change, from) => {
    expect(STATUSES.filter((status) => allowedFrom(change).includes(status))).toEqual(from);
  });

  it.each<[ActionChange, ActionStatus, ActionStatus]>([
    ['schedule', 'PROPOSED', 'SCHEDULED'],
    ['schedule', 'SCHEDULED', 'SCHEDULED'],
    ['complete', 'SCHEDULED', 'DONE'],
    ['cancel', 'PROPOSED', 'CANCELLED'],
    ['cancel', 'SCHEDULED', 'CANCELLED'],
    ['join', 'PROPOSED', 'PROPOSED'],
    ['join', 'SCHEDULED', 'SCHEDULED'],
  ])('%s from %s leads to %s', (change, from, to) => {
    expect(statusAfter(change, from)).toBe(to);
  });

  it('never leaves DONE or CANCELLED', () => {
    for (const change of ['join', 'schedule', 'complete', 'cancel'] as const) {
      expect(allowedFrom(change)).not.toContain('DONE');
      expect(allowedFrom(change)).not.toContain('CANCELLED');
    }
  });

  it('says why a change is refused', () => {
    expect(refusal('complete', 'PROPOSED')).toBe('A PROPOSED action cannot be completed: only a SCHEDULED one can.');
    expect(refusal('schedule', 'CANCELLED')).toBe('A CANCELLED action cannot be scheduled: only a PROPOSED or SCHEDULED one can.');
  });
});
