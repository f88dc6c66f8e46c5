import type { ActionStatus } from '../generated/resolvers';
import { ACTION_CHANGES, type ActionChange, allowedFrom, refusal, statusAfter } from '../lifecycle';

const STATUSES: ActionStatus[] = ['PROPOSED', 'SCHEDULED', 'DONE', 'CANCELLED'];

describe('the life of a neighbourhood action', () => {
  it.each<[ActionChange, ActionStatus[]]>([
    ['invite', ['PROPOSED', 'SCHEDULED']],
    ['accept', ['PROPOSED', 'SCHEDULED']],
    ['decline', ['PROPOSED', 'SCHEDULED']],
    ['leave', ['PROPOSED', 'SCHEDULED']],
    ['changeCostShare', ['PROPOSED', 'SCHEDULED']],
    ['attachPartner', ['PROPOSED', 'SCHEDULED']],
    ['detachPartner', ['PROPOSED', 'SCHEDULED']],
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
    ['invite', 'PROPOSED', 'PROPOSED'],
    ['accept', 'SCHEDULED', 'SCHEDULED'],
    ['decline', 'PROPOSED', 'PROPOSED'],
    ['leave', 'SCHEDULED', 'SCHEDULED'],
    ['changeCostShare', 'PROPOSED', 'PROPOSED'],
    ['attachPartner', 'SCHEDULED', 'SCHEDULED'],
    ['detachPartner', 'PROPOSED', 'PROPOSED'],
  ])('%s from %s leads to %s', (change, from, to) => {
    expect(statusAfter(change, from)).toBe(to);
  });

  it('never leaves DONE or CANCELLED, and changes no organiser, cost share or partner once the action is over', () => {
    for (const change of ACTION_CHANGES) {
      expect(allowedFrom(change)).not.toContain('DONE');
      expect(allowedFrom(change)).not.toContain('CANCELLED');
    }
  });

  it('says why a change is refused', () => {
    expect(refusal('complete', 'PROPOSED')).toBe('A PROPOSED action cannot be completed: only a SCHEDULED one can.');
    expect(refusal('schedule', 'CANCELLED')).toBe('A CANCELLED action cannot be scheduled: only a PROPOSED or SCHEDULED one can.');
    expect(refusal('accept', 'DONE')).toBe('A DONE action cannot be joined: only a PROPOSED or SCHEDULED one can.');
    expect(refusal('leave', 'CANCELLED')).toBe('A CANCELLED action cannot be left: only a PROPOSED or SCHEDULED one can.');
    expect(refusal('changeCostShare', 'DONE')).toBe(
      'A DONE action cannot have its cost shares changed: only a PROPOSED or SCHEDULED one can.',
    );
    expect(refusal('detachPartner', 'CANCELLED')).toBe('A CANCELLED action cannot lose a partner: only a PROPOSED or SCHEDULED one can.');
  });
});
