import type { ActionStatus } from '../../subgraphs/actions/generated/resolvers';
import type { ActionDocument } from '../../subgraphs/actions/model';
import type { BuildingDocument } from '../../subgraphs/housing/model';
import { type HousingPlan, padded } from './housing';
import { ACTION_TEMPLATES, CANCELLATION_REASONS, SEED_AUTHOR } from './names';
import type { DistrictPartners } from './partners';
import { SeededRandom } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Half of the actions are done; the rest are planned, proposed or cancelled. Every status comes within four actions. */
const STATUS_CYCLE: ActionStatus[] = [
  'DONE',
  'SCHEDULED',
  'PROPOSED',
  'CANCELLED',
  'DONE',
  'SCHEDULED',
  'DONE',
  'PROPOSED',
  'DONE',
  'DONE',
];

/**
 * Joint actions, round the districts that have landlords: proposed by one landlord (the lead organiser), co-organised
 * by others that it invited and that accepted (each with its cost share), then scheduled, done with an outcome, or
 * cancelled, as the lifecycle allows; an action still to come has a pending invitation to the district's first
 * landlord not organising it. Each change counts in the version.
 */
export function plannedActions(plan: HousingPlan, partnersOf: Map<string, DistrictPartners>, count: number, now: Date): ActionDocument[] {
  const random = new SeededRandom('actions');
  const districts = plan.districts.filter((district) => plan.landlordsOfDistrict.has(district._id));
  const buildingsOf = new Map<string, BuildingDocument[]>();
  for (const { building } of plan.buildings)
    buildingsOf.set(building.districtId, [...(buildingsOf.get(building.districtId) ?? []), building]);
  const dayAt = (time: number, hour: number) => new Date(Math.floor(time / DAY) * DAY + hour * HOUR);

  return Array.from({ length: districts.length === 0 ? 0 : count }, (_, index): ActionDocument => {
    const district = districts[index % districts.length]!;
    const rank = Math.floor(index / districts.length);
    const template = ACTION_TEMPLATES[rank % ACTION_TEMPLATES.length]!;
    const status = STATUS_CYCLE[rank % STATUS_CYCLE.length]!;
    const owners = plan.landlordsOfDistrict.get(district._id)!;
    const proposer = owners[rank % owners.length]!;
    const organiserIds = [proposer, ...owners.filter((owner) => owner !== proposer && random.chance(0.6))];
    const candidates = buildingsOf.get(district._id)!;
    const buildings = [...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(candidates)))];
    const street = buildings[0]!.address;

    const drawnProposedAt = new Date(now.getTime() - random.int(status === 'PROPOSED' ? 1 : 20, status === 'SCHEDULED' ? 60 : 330) * DAY);
    const wasScheduled = status === 'SCHEDULED' || status === 'DONE' || (status === 'CANCELLED' && random.chance(0.5));
    const drawnStart = !wasScheduled
      ? null
      : status === 'DONE'
        ? dayAt(Math.min(drawnProposedAt.getTime() + random.int(10, 40) * DAY, now.getTime() - 2 * DAY), random.int(8, 15))
        : dayAt(now.getTime() + random.int(3, 75) * DAY, random.int(8, 15));
    // The Fête des voisins is on its national day, at 18:00: the last one past when done, else the next one.
    const startsAt =
      drawnStart && template.onLastFridayOfMay
        ? status === 'DONE'
          ? lastFridayOfMay(now, 'before')
          : lastFridayOfMay(now, 'after')
        : drawnStart;
    // Proposed three weeks or more before it starts.
    const proposedAt =
      startsAt && status === 'DONE' ? new Date(Math.min(drawnProposedAt.getTime(), startsAt.getTime() - 21 * DAY)) : drawnProposedAt;
    const endsAt = startsAt ? new Date(startsAt.getTime() + random.int(2, 5) * HOUR) : null;
    const changedAt = new Date(Math.min(proposedAt.getTime() + random.int(1, 10) * DAY, now.getTime()));
    const lastChange = status === 'DONE' ? endsAt! : status === 'PROPOSED' ? proposedAt : changedAt;
    const transitions = { PROPOSED: 0, SCHEDULED: 1, DONE: 2, CANCELLED: wasScheduled ? 2 : 1 }[status];
    const stillToCome = status === 'PROPOSED' || status === 'SCHEDULED';
    const invitee = stillToCome ? owners.find((owner) => !organiserIds.includes(owner)) : undefined;
    // Proposed, then each co-organiser invited and accepting, then the invitation still pending.
    const organisationChanges = 1 + 2 * (organiserIds.length - 1) + (invitee ? 1 : 0);

    return {
      _id: `action-${padded(index + 1, 5)}`,
      title: `${template.title}, ${street.streetType} ${street.streetName}`,
      description: "Action de pied d'immeuble menée en commun par les bailleurs du quartier.",
      kind: template.kind,
      status,
      districtId: district._id,
      buildingIds: buildings.map((building) => building._id),
      partnerIds: template.partner ? [partnersOf.get(district._id)![template.partner]] : [],
      proposedByLandlordId: proposer,
      organiserIds,
      costShares: organiserIds.map((landlordId) => ({ landlordId, amountCents: random.int(2, 60) * 5_000 })),
      invitations: invitee ? [{ landlordId: invitee, status: 'PENDING', invitedAt: lastChange, answeredAt: null }] : [],
      startsAt,
      endsAt,
      tfpbAxis: template.tfpbAxis,
      outcome:
        status === 'DONE'
          ? { participants: random.int(...template.participants), notes: template.outcomeNotes, completedAt: endsAt! }
          : null,
      cancellationReason: status === 'CANCELLED' ? random.pick(CANCELLATION_REASONS) : null,
      version: organisationChanges + transitions,
      clientMutationId: null,
      audit: { createdAt: proposedAt, createdBy: SEED_AUTHOR, updatedAt: lastChange, updatedBy: SEED_AUTHOR },
    };
  });
}

/** The last Friday of May at 18:00 UTC: the latest one at least two days `before` now, or the first one `after` it. */
export function lastFridayOfMay(now: Date, direction: 'before' | 'after'): Date {
  const inYear = (year: number) => {
    const lastOfMay = Date.UTC(year, 4, 31, 18);
    const day = new Date(lastOfMay).getUTCDay();
    return new Date(lastOfMay - ((day + 2) % 7) * DAY);
  };
  const year = now.getUTCFullYear();
  if (direction === 'after') return inYear(year).getTime() > now.getTime() ? inYear(year) : inYear(year + 1);
  return inYear(year).getTime() <= now.getTime() - 2 * DAY ? inYear(year) : inYear(year - 1);
}
