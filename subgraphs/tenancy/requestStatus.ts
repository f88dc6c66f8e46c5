import type { GuardedChange } from '../shared/versionedRecords';
import type { RequestStatus } from './generated/resolvers';
import type { ServiceRequestDocument } from './model';

/** The life of a service request, as the SDL's RequestStatus describes it. */

const NEXT_STATUSES: Record<RequestStatus, readonly RequestStatus[]> = {
  OPEN: ['ACKNOWLEDGED', 'REJECTED'],
  ACKNOWLEDGED: ['IN_PROGRESS', 'REJECTED'],
  IN_PROGRESS: ['RESOLVED', 'REJECTED'],
  RESOLVED: [],
  REJECTED: [],
};

/** A closed request is done with: it no longer counts as open and cannot change. */
export const CLOSED_STATUSES: readonly RequestStatus[] = ['RESOLVED', 'REJECTED'];

export type StatusChange = Omit<GuardedChange<ServiceRequestDocument>, 'expectedVersion'>;

/**
 * Moving a request read in status `from` to `to` at `now`. Leaving OPEN stamps acknowledgedAt (once: only an OPEN
 * request leaves OPEN, even when it is rejected unread); RESOLVED and REJECTED stamp closedAt. The stamps may follow
 * the status read because the update also matches the version read, which pins the record to that state.
 */
export function statusChange(from: RequestStatus, to: RequestStatus, now: Date): StatusChange {
  return {
    allowedFrom: (Object.keys(NEXT_STATUSES) as RequestStatus[]).filter((status) => NEXT_STATUSES[status].includes(to)),
    refusal: (status) => refusal(status, to),
    set: {
      status: to,
      ...(from === 'OPEN' ? { acknowledgedAt: now } : {}),
      ...(CLOSED_STATUSES.includes(to) ? { closedAt: now } : {}),
    },
  };
}

function refusal(status: RequestStatus, to: RequestStatus): string {
  const next = NEXT_STATUSES[status];
  const options = next.length > 0 ? `it can become ${next.join(' or ')}` : 'it is closed';
  return `A request that is ${status} cannot become ${to}: ${options}.`;
}
