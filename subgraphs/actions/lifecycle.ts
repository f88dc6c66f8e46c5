import type { ActionStatus } from './generated/resolvers';

/**
 * The life of a neighbourhood action: PROPOSED → SCHEDULED → DONE; PROPOSED or SCHEDULED → CANCELLED.
 * Scheduling again moves the dates. While the action is still to come, who takes part in it changes: landlords are
 * invited, accept or decline, organisers other than the lead leave, organisers change their cost shares, and partners
 * are attached or detached. Once it is over, its shares are what the TFPB report counts.
 */
export type ActionChange =
  'invite' | 'accept' | 'decline' | 'leave' | 'changeCostShare' | 'attachPartner' | 'detachPartner' | 'schedule' | 'complete' | 'cancel';

export const ACTION_CHANGES: readonly ActionChange[] = [
  'invite',
  'accept',
  'decline',
  'leave',
  'changeCostShare',
  'attachPartner',
  'detachPartner',
  'schedule',
  'complete',
  'cancel',
];

interface ChangeRule {
  from: readonly ActionStatus[];
  /** The status after the change; the changes of who takes part leave it as it was. */
  to: ActionStatus | 'UNCHANGED';
  /** What is refused, as a person says it: "A DONE action cannot <refused>." */
  refused: string;
}

/** Still to come: the only statuses in which the action's organisers, their shares and its partners may change. */
const TO_COME: readonly ActionStatus[] = ['PROPOSED', 'SCHEDULED'];

const RULES: Record<ActionChange, ChangeRule> = {
  invite: { from: TO_COME, to: 'UNCHANGED', refused: 'take new organisers' },
  accept: { from: TO_COME, to: 'UNCHANGED', refused: 'be joined' },
  decline: { from: TO_COME, to: 'UNCHANGED', refused: 'have its invitations answered' },
  leave: { from: TO_COME, to: 'UNCHANGED', refused: 'be left' },
  changeCostShare: { from: TO_COME, to: 'UNCHANGED', refused: 'have its cost shares changed' },
  attachPartner: { from: TO_COME, to: 'UNCHANGED', refused: 'take new partners' },
  detachPartner: { from: TO_COME, to: 'UNCHANGED', refused: 'lose a partner' },
  schedule: { from: TO_COME, to: 'SCHEDULED', refused: 'be scheduled' },
  complete: { from: ['SCHEDULED'], to: 'DONE', refused: 'be completed' },
  cancel: { from: TO_COME, to: 'CANCELLED', refused: 'be cancelled' },
};

/** The statuses `change` may start from. */
export function allowedFrom(change: ActionChange): readonly ActionStatus[] {
  return RULES[change].from;
}

export function statusAfter(change: ActionChange, status: ActionStatus): ActionStatus {
  const { to } = RULES[change];
  return to === 'UNCHANGED' ? status : to;
}

/** Why an action in `status` refuses `change`, for the person who asked. */
export function refusal(change: ActionChange, status: ActionStatus): string {
  const { from, refused } = RULES[change];
  return `A ${status} action cannot ${refused}: only a ${from.join(' or ')} one can.`;
}
