import { readFileSync } from 'node:fs';
import path from 'node:path';
import type autocannon from 'autocannon';
import { type DefinitionNode, Kind, parse, print } from 'graphql';
import type { Caller } from '../../lib/auth/caller';
import type { Fixtures } from './dataset';

/** Signs a token for a caller (HS256 with the benchmark's secret). */
export type TokenSigner = (caller: Caller) => Promise<string>;

/** The autocannon settings of one operation's load, made afresh for every run (they hold per-run state). */
export interface Workload {
  name: string;
  describe: string;
  options(): Pick<autocannon.Options, 'requests' | 'setupClient' | 'method' | 'headers' | 'body'>;
  /** One request, for counting the database commands of a single execution. */
  single(): { headers: Record<string, string>; body: string };
  /** Every distinct request of a read-only workload (for checking that gateways answer alike). */
  all?(): { headers: Record<string, string>; body: string }[];
}

/** Dashboards load the first districts (at most this many); each has one coordinator. */
export const DASHBOARD_DISTRICTS = 20;
/** Mutations go to districts of their own, so that the dashboards' action lists do not grow as the benchmark runs. */
const FIRST_MUTATION_DISTRICT = DASHBOARD_DISTRICTS;

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One operation of an operations file, with the fragments it uses, as a client would send it. */
export function operationDocument(root: string, file: string, operationName: string): string {
  const document = parse(readFileSync(path.join(root, 'schema/operations', file), 'utf8'));
  const keep = (definition: DefinitionNode) =>
    definition.kind === Kind.FRAGMENT_DEFINITION ||
    (definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === operationName);
  const definitions = document.definitions.filter(keep);
  if (!definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION))
    throw new Error(`${operationName} is not in ${file}`);
  return print({ ...document, definitions });
}

/** The statistics cell the dashboards ask for: the current calendar year. */
function currentYear(): { year: number } {
  return { year: new Date().getUTCFullYear() };
}

/**
 * The district dashboard, as the coordinators of `districtIds` open it: connection i keeps district i mod their
 * number, with that district's coordinator token. As many districts as connections: every request in flight is
 * distinct (nothing for deduplication to share); fewer: several identical requests in flight per district.
 */
export async function dashboardWorkload(name: string, root: string, districtIds: readonly string[], sign: TokenSigner): Promise<Workload> {
  const query = operationDocument(root, 'districtDashboard.graphql', 'DistrictDashboard');
  const period = currentYear();
  const targets = await Promise.all(
    districtIds.map(async (districtId, index) => ({
      headers: {
        ...JSON_HEADERS,
        authorization: `Bearer ${await sign({ role: 'COORDINATOR', sub: `bench-coordinator-${index}`, districtIds: [districtId] })}`,
      },
      body: JSON.stringify({ query, operationName: 'DistrictDashboard', variables: { districtId, period, first: 50 } }),
    })),
  );
  return {
    name,
    describe: `DistrictDashboard (schema/operations), request statistics of the current year, first 50 buildings; connection i loads district i mod ${districtIds.length} with that district's coordinator token`,
    options() {
      let connection = 0;
      return {
        method: 'POST',
        setupClient(client) {
          const target = targets[connection++ % targets.length]!;
          client.setHeadersAndBody(target.headers, target.body);
        },
      };
    },
    single: () => targets[0]!,
    all: () => targets,
  };
}

interface LifecycleContext {
  slot?: number;
  actionId?: string;
  version?: number;
  failed?: boolean;
}

/**
 * The action lifecycle, each connection working on actions of its own: propose (a landlord's staff), invite a second
 * landlord (the proposer), accept (the second landlord), schedule, complete (the coordinator); then propose, schedule,
 * cancel. Every change sends the version it read; a failed step starts the cycle over with a new action.
 */
export async function mutationWorkload(root: string, fixtures: Fixtures, sign: TokenSigner): Promise<Workload> {
  const document = (name: string) => operationDocument(root, 'actionLifecycle.graphql', name);
  const ops = {
    propose: document('ProposeAction'),
    invite: document('InviteToAction'),
    accept: document('AcceptActionInvitation'),
    schedule: document('ScheduleAction'),
    complete: document('CompleteAction'),
    cancel: document('CancelAction'),
  };
  const districts = fixtures.districts
    .slice(FIRST_MUTATION_DISTRICT)
    .filter((district) => district.landlordIds.length >= 2)
    .slice(0, 20);
  if (districts.length === 0) throw new Error('The mutation workload needs districts shared by two landlords.');
  const slots = await Promise.all(
    districts.map(async (district) => {
      const bearer = async (caller: Caller) => ({ ...JSON_HEADERS, authorization: `Bearer ${await sign(caller)}` });
      const [proposer, joiner] = district.landlordIds;
      return {
        districtId: district.id,
        joinerId: joiner!,
        proposer: await bearer({ role: 'LANDLORD_STAFF', sub: `bench-staff-${proposer}`, landlordId: proposer! }),
        joiner: await bearer({ role: 'LANDLORD_STAFF', sub: `bench-staff-${joiner}`, landlordId: joiner! }),
        coordinator: await bearer({ role: 'COORDINATOR', sub: `bench-coordinator-${district.id}`, districtIds: [district.id] }),
      };
    }),
  );
  const operationNames: Record<keyof typeof ops, string> = {
    propose: 'ProposeAction',
    invite: 'InviteToAction',
    accept: 'AcceptActionInvitation',
    schedule: 'ScheduleAction',
    complete: 'CompleteAction',
    cancel: 'CancelAction',
  };
  const body = (operationName: keyof typeof ops, variables: Record<string, unknown>) =>
    JSON.stringify({ query: ops[operationName], operationName: operationNames[operationName], variables });

  type Step = { run: (context: LifecycleContext, slot: (typeof slots)[number]) => { headers: Record<string, string>; body: string } };
  const propose: Step = {
    run: (context, slot) => ({
      headers: slot.proposer,
      body: body('propose', {
        input: {
          districtId: slot.districtId,
          title: 'Nettoyage des halls',
          kind: 'CLEAN_UP',
          tfpbAxis: 'EXTRA_MAINTENANCE',
          costShareCents: 15_000,
        },
      }),
    }),
  };
  const invite: Step = {
    run: (context, slot) => ({
      headers: slot.proposer,
      body: body('invite', { id: context.actionId, expectedVersion: context.version, landlordId: slot.joinerId }),
    }),
  };
  const accept: Step = {
    run: (context, slot) => ({
      headers: slot.joiner,
      body: body('accept', { id: context.actionId, expectedVersion: context.version, costShareCents: 5_000 }),
    }),
  };
  const schedule: Step = {
    run: (context, slot) => {
      // Dated in the past, so that the outcome can be recorded right away.
      const startsAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const endsAt = new Date(Date.now() - 3_600_000).toISOString();
      return {
        headers: slot.coordinator,
        body: body('schedule', { id: context.actionId, startsAt, endsAt, expectedVersion: context.version }),
      };
    },
  };
  const complete: Step = {
    run: (context, slot) => ({
      headers: slot.coordinator,
      body: body('complete', {
        id: context.actionId,
        expectedVersion: context.version,
        outcome: { participants: 18, notes: 'Bonne participation' },
      }),
    }),
  };
  const cancel: Step = {
    run: (context, slot) => ({
      headers: slot.coordinator,
      body: body('cancel', { id: context.actionId, expectedVersion: context.version, reason: 'Météo' }),
    }),
  };
  const cycle = [propose, invite, accept, schedule, complete, propose, schedule, cancel];

  return {
    name: 'mutations',
    describe:
      'action lifecycle: propose, invite, accept, schedule, complete, then propose, schedule, cancel; each connection on actions of its own, in its own district (ActionDetails selected after every change)',
    options() {
      let nextSlot = 0;
      const requests: autocannon.Request[] = cycle.map((step, index) => ({
        method: 'POST',
        setupRequest: (request: autocannon.Request, context: LifecycleContext) => {
          if (index === 0 || step === propose) context.failed = false;
          if (context.failed) return undefined as unknown as autocannon.Request;
          context.slot ??= nextSlot++ % slots.length;
          return { ...request, ...step.run(context, slots[context.slot]!) };
        },
        onResponse: (status: number, responseBody: string, context: LifecycleContext) => {
          const action = status === 200 ? actionOf(responseBody) : undefined;
          if (!action) {
            context.failed = true;
            return;
          }
          context.actionId = action.id;
          context.version = action.version;
        },
      }));
      return { method: 'POST', requests };
    },
    single: () => ({ headers: slots[0]!.proposer, body: propose.run({}, slots[0]!).body }),
  };
}

/** The action a lifecycle mutation answered with, when it succeeded. */
function actionOf(body: string): { id: string; version: number } | undefined {
  try {
    const parsed = JSON.parse(body) as { data?: Record<string, { id: string; version: number } | null>; errors?: unknown[] };
    if (parsed.errors?.length) return undefined;
    const action = parsed.data && Object.values(parsed.data)[0];
    return action ?? undefined;
  } catch {
    return undefined;
  }
}
