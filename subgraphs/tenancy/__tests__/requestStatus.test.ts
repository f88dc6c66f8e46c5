import { statusChange } from '../requestStatus';

const now = new Date('2026-03-10T12:00:00Z');

describe('statusChange', () => {
  it('stamps acknowledgedAt when a request leaves OPEN, and only then', () => {
    expect(statusChange('OPEN', 'ACKNOWLEDGED', now).set).toEqual({ status: 'ACKNOWLEDGED', acknowledgedAt: now });
    expect(statusChange('ACKNOWLEDGED', 'IN_PROGRESS', now).set).toEqual({ status: 'IN_PROGRESS' });
  });

  it('stamps closedAt on RESOLVED and REJECTED; a request rejected unread is acknowledged at the same time', () => {
    expect(statusChange('IN_PROGRESS', 'RESOLVED', now).set).toEqual({ status: 'RESOLVED', closedAt: now });
    expect(statusChange('ACKNOWLEDGED', 'REJECTED', now).set).toEqual({ status: 'REJECTED', closedAt: now });
    expect(statusChange('OPEN', 'REJECTED', now).set).toEqual({ status: 'REJECTED', acknowledgedAt: now, closedAt: now });
  });

  it('allows each status only from the statuses the machine leads from', () => {
    expect(statusChange('OPEN', 'ACKNOWLEDGED', now).allowedFrom).toEqual(['OPEN']);
    expect(statusChange('OPEN', 'IN_PROGRESS', now).allowedFrom).toEqual(['ACKNOWLEDGED']);
    expect(statusChange('OPEN', 'RESOLVED', now).allowedFrom).toEqual(['IN_PROGRESS']);
    expect(statusChange('OPEN', 'REJECTED', now).allowedFrom).toEqual(['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS']);
    expect(statusChange('RESOLVED', 'OPEN', now).allowedFrom).toEqual([]);
  });

  it('explains a refusal with what the request can become instead', () => {
    const { refusal } = statusChange('OPEN', 'RESOLVED', now);
    expect(refusal('OPEN')).toBe('A request that is OPEN cannot become RESOLVED: it can become ACKNOWLEDGED or REJECTED.');
    expect(statusChange('RESOLVED', 'REJECTED', now).refusal('RESOLVED')).toBe(
      'A request that is RESOLVED cannot become REJECTED: it is closed.',
    );
  });
});
