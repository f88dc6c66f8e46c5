import type { ActionStatus } from './generated/resolvers';

/**
 * The life of a neighbourhood action: PROPOSED → SCHEDULED → DONE; PROPOSED or SCHEDULED → CANCELLED.
 * Scheduling again moves the dates; landlords join while the action is still to come.
 */
export type ActionChange = 'join' | 'schedule' | 'complete' | 'cancel';

interface ChangeRule {
  from: readonly ActionStatus[];
  /** The status after the change; joining leaves it as it was. */
  to: ActionStatus | 'UNCHANGED';
  /** The change as a person says it, for refusals: "A DONE action cannot be <verb>." */
  verb: string;
}

const RULES: Record<ActionChange, ChangeRule> = {
  join: { from: ['PROPOSED', 'SCHEDULED'], to: 'UNCHANGED', verb: 'joined' },
  schedule: { from: ['PROPOSED', 'SCHEDULED'], to: 'SCHEDULED', verb: 'scheduled' },
  complete: { from: ['SCHEDULED'], to: 'DONE', verb: 'completed' },
  cancel: { from: ['PROPOSED', 'SCHEDULED'], to: 'CANCELLED', verb: 'cancelled' },
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
  const { from, verb } = RULES[change];
  return `A ${status} action cannot be ${verb}: only a ${from.join(' or ')} one can.`;
}
