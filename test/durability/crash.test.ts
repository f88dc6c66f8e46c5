import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { launch, type Launcher, waitUntilReady } from './launcher';

/**
 * Crashes through the real stack: `scripts/start.ts` with its embedded MongoDB on a data folder, several clients
 * making creates (with clientMutationId), versioned updates and action steps through the gateway, and SIGKILL at
 * a random moment. After each restart every acknowledged write must be there exactly once, and the writes that
 * were in flight must be there wholly or not at all. A small checkpoint threshold makes checkpoints (and kills
 * during them) part of the rounds.
 */
const GROUP_KILL_ROUNDS = 10;
const LAUNCHER_KILL_ROUNDS = 2;
const CLIENTS = 4;
const READY_TIMEOUT_MS = 180_000;
const DISTRICT = 'district-grand-mirail';
const PROPOSER = 'landlord-tmh';
const JOINER = 'landlord-chalets';
const ENV = { QC_CHECKPOINT_JOURNAL_BYTES: String(256 * 1024) };

type Outcome = 'acknowledged' | 'in flight';

interface CreateAttempt {
  clientMutationId: string;
  outcome: Outcome;
  id?: string;
}
interface RequestUpdate {
  requestId: string;
  outcome: Outcome;
}
interface ActionCreate extends CreateAttempt {
  title: string;
}
/** One step of an action's life after its proposal: an invitation to a second landlord, then its acceptance. */
interface ActionStep {
  actionId: string;
  step: 'invite' | 'accept';
  /** The action's version before the step; the step makes it one more. */
  fromVersion: number;
  outcome: Outcome;
}

/** What the clients did in one round, as they were told. */
class RoundLog {
  readonly requests: { buildingId: string; attempt: CreateAttempt }[] = [];
  readonly updates: RequestUpdate[] = [];
  readonly actions: ActionCreate[] = [];
  readonly steps: ActionStep[] = [];
  /** Failures answered before the kill: none is expected. */
  readonly unexpectedFailures: string[] = [];

  acknowledged(): number {
    return [...this.requests.map(({ attempt }) => attempt), ...this.updates, ...this.actions, ...this.steps].filter(
      ({ outcome }) => outcome === 'acknowledged',
    ).length;
  }

  inFlight(): number {
    return [...this.requests.map(({ attempt }) => attempt), ...this.updates, ...this.actions, ...this.steps].filter(
      ({ outcome }) => outcome === 'in flight',
    ).length;
  }
}

describe('durability through the real stack', () => {
  let dataDirectory: string;
  let token: string;
  let launcher: Launcher | undefined;
  let buildings: string[];
  /** Requests each client's building must hold: the demo's, plus every create ever sent for it. */
  const expectedRequestCount = new Map<string, number>();
  const summary: string[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'qc-crash-'));
    token = await signToken({ role: 'ADMIN', sub: 'crash-test' }, authConfigFromEnv({ NODE_ENV: 'test' }), { expiresIn: '1h' });
  });

  afterAll(async () => {
    await launcher?.killGroup();
    await rm(dataDirectory, { recursive: true, force: true });

    console.log(`durability crash rounds (data folder on ${tmpdir()}):\n${summary.join('\n')}`);
  });

  const graphql = async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    target: Launcher | undefined = launcher,
  ): Promise<T> => {
    if (!target) throw new Error('no launcher');
    const response = await fetch(target.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (response.status !== 200 || body.errors?.length || !body.data) {
      throw new Error(`${response.status} ${body.errors?.map((error) => `${error.extensions?.code}: ${error.message}`).join('; ')}`);
    }
    return body.data;
  };

  const openRequest = (buildingId: string, clientMutationId: string) =>
    graphql<{ openServiceRequest: { id: string } }>(
      'mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id } }',
      { input: { buildingId, category: 'LIFT', channel: 'PHONE', clientMutationId } },
    ).then((data) => data.openServiceRequest.id);

  const proposeAction = (title: string, clientMutationId: string) =>
    graphql<{ proposeAction: { id: string } }>('mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }', {
      input: { districtId: DISTRICT, landlordId: PROPOSER, title, kind: 'CLEAN_UP', clientMutationId },
    }).then((data) => data.proposeAction.id);

  const requestCount = (buildingId: string) =>
    graphql<{ building: { requests: { totalCount: number } } }>(
      'query ($id: ID!) { building(id: $id) { requests(first: 1) { totalCount } } }',
      { id: buildingId },
    ).then((data) => data.building.requests.totalCount);

  /**
   * Sends one write, noted as in flight until its answer comes: a write whose answer never comes (or comes as an
   * error once the stack is being killed) may or may not have been made. Before the kill, any failure is a bug.
   */
  async function attempt<T>(
    log: RoundLog,
    record: { outcome: Outcome },
    stopped: () => boolean,
    send: () => Promise<T>,
  ): Promise<T | undefined> {
    record.outcome = 'in flight';
    try {
      const answer = await send();
      record.outcome = 'acknowledged';
      return answer;
    } catch (error) {
      if (!stopped()) log.unexpectedFailures.push(String(error));
      return undefined;
    }
  }

  /** One client: create a request, acknowledge it, propose an action, invite a second landlord, which accepts; again. */
  async function client(round: string, index: number, log: RoundLog, stopped: () => boolean): Promise<void> {
    const buildingId = buildings[index] as string;
    for (let step = 0; !stopped(); step++) {
      const key = `${round}-c${index}-${step}`;
      const request: CreateAttempt = { clientMutationId: `request-${key}`, outcome: 'in flight' };
      log.requests.push({ buildingId, attempt: request });
      expectedRequestCount.set(buildingId, (expectedRequestCount.get(buildingId) ?? 0) + 1);
      request.id = await attempt(log, request, stopped, () => openRequest(buildingId, request.clientMutationId));
      if (request.id === undefined) return;

      const update: RequestUpdate = { requestId: request.id, outcome: 'in flight' };
      log.updates.push(update);
      const updated = await attempt(log, update, stopped, () =>
        graphql('mutation ($id: ID!) { updateServiceRequest(id: $id, status: ACKNOWLEDGED, expectedVersion: 1) { id } }', {
          id: request.id,
        }),
      );
      if (updated === undefined) return;

      const action: ActionCreate = { clientMutationId: `action-${key}`, title: `Crash test ${key}`, outcome: 'in flight' };
      log.actions.push(action);
      action.id = await attempt(log, action, stopped, () => proposeAction(action.title, action.clientMutationId));
      if (action.id === undefined) return;

      let version = 1;
      for (const kind of ['invite', 'accept'] as const) {
        const actionStep: ActionStep = { actionId: action.id, step: kind, fromVersion: version, outcome: 'in flight' };
        log.steps.push(actionStep);
        const mutation =
          kind === 'invite'
            ? 'mutation ($id: ID!, $landlordId: ID!, $version: Int!) { answer: inviteToAction(id: $id, landlordId: $landlordId, expectedVersion: $version) { version } }'
            : 'mutation ($id: ID!, $landlordId: ID!, $version: Int!) { answer: acceptActionInvitation(id: $id, landlordId: $landlordId, expectedVersion: $version, costShareCents: 100) { version } }';
        const answer = await attempt(log, actionStep, stopped, () =>
          graphql<{ answer: { version: number } }>(mutation, { id: action.id, landlordId: JOINER, version }),
        );
        if (answer === undefined) return;
        expect(answer.answer.version).toBe(version + 1);
        version = answer.answer.version;
      }
    }
  }

  /** Every acknowledged write present exactly once; every write in flight wholly there or not at all. */
  async function verify(log: RoundLog): Promise<number> {
    let found = 0;
    for (const { buildingId, attempt: request } of log.requests) {
      // Sending a create again returns the record first made with its key: the one acknowledged, if it was.
      const id = await openRequest(buildingId, request.clientMutationId);
      if (request.outcome === 'acknowledged') {
        expect(id).toBe(request.id);
        found++;
      }
      request.id = id;
    }
    for (const update of log.updates) {
      const { serviceRequest } = await graphql<{ serviceRequest: { version: number; status: string; acknowledgedAt: string | null } }>(
        'query ($id: ID!) { serviceRequest(id: $id) { version status acknowledgedAt } }',
        { id: update.requestId },
      );
      const applied = { version: serviceRequest.version, status: serviceRequest.status, stamped: serviceRequest.acknowledgedAt !== null };
      if (update.outcome === 'acknowledged') {
        expect(applied).toEqual({ version: 2, status: 'ACKNOWLEDGED', stamped: true });
        found++;
      } else {
        expect([
          { version: 1, status: 'OPEN', stamped: false },
          { version: 2, status: 'ACKNOWLEDGED', stamped: true },
        ]).toContainEqual(applied);
      }
    }
    for (const action of log.actions) {
      const id = await proposeAction(action.title, action.clientMutationId);
      if (action.outcome === 'acknowledged') {
        expect(id).toBe(action.id);
        found++;
      }
      action.id = id;
    }
    // Each action is at the state of its last acknowledged step, or of the one in flight after it, never between.
    const stateAfter = (step: ActionStep['step'] | 'propose') => (step === 'accept' ? [PROPOSER, JOINER] : [PROPOSER]);
    for (const [index, actionStep] of log.steps.entries()) {
      // An acknowledged step followed by another of the same action is checked through that one's state.
      const later = log.steps.slice(index + 1).some(({ actionId }) => actionId === actionStep.actionId);
      if (later && actionStep.outcome === 'acknowledged') continue;
      const { action } = await graphql<{ action: { version: number; organisers: { id: string }[] } }>(
        'query ($id: ID!) { action(id: $id) { version organisers { id } } }',
        { id: actionStep.actionId },
      );
      const applied = { version: action.version, organisers: action.organisers.map(({ id }) => id) };
      const made = { version: actionStep.fromVersion + 1, organisers: stateAfter(actionStep.step) };
      if (actionStep.outcome === 'acknowledged') {
        expect(applied).toEqual(made);
      } else {
        const before = { version: actionStep.fromVersion, organisers: stateAfter(actionStep.step === 'accept' ? 'invite' : 'propose') };
        expect([before, made]).toContainEqual(applied);
      }
    }
    found += log.steps.filter(({ outcome }) => outcome === 'acknowledged').length;
    // Exactly once: each building holds one request per key ever sent, each action title appears once.
    for (const buildingId of buildings) expect(await requestCount(buildingId)).toBe(expectedRequestCount.get(buildingId));
    const { district } = await graphql<{ district: { actions: { title: string }[] } }>(
      'query ($id: ID!) { district(id: $id) { actions { title } } }',
      { id: DISTRICT },
    );
    const titles = district.actions.map(({ title }) => title);
    for (const { title } of log.actions) expect(titles.filter((other) => other === title)).toHaveLength(1);
    return found;
  }

  async function start(): Promise<Launcher> {
    launcher = await launch(dataDirectory, ENV);
    await waitUntilReady(launcher, READY_TIMEOUT_MS);
    return launcher;
  }

  const totals = { acknowledged: 0, found: 0 };

  async function crashRound(round: number, kill: 'group' | 'launcher'): Promise<void> {
    const running = launcher as Launcher;
    const log = new RoundLog();
    let killed = false;
    const delayMs = 300 + Math.floor(Math.random() * 2_500);
    const clients = Array.from({ length: CLIENTS }, (_, index) => client(`r${round}`, index, log, () => killed));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    // The launcher must still be the one holding the data folder: killing it is the point.
    expect(JSON.parse(await readFile(join(dataDirectory, 'embedded-mongo.lock'), 'utf8'))).toMatchObject({
      pid: running.pid,
      state: 'running',
    });
    expect(running.hasExited()).toBe(false);
    // In the same tick as the signal: the writes the clients are waiting for are cut off in flight.
    killed = true;
    if (kill === 'group') {
      await running.killGroup();
    } else {
      await running.killLauncher();
      // Its children exit with it (the launcher's supervision); should any outlive it, the clients meet them, and
      // whatever is left of the group is killed before restarting on the same folder.
      await Promise.all(clients);
      await running.killGroup();
    }
    await Promise.all(clients);
    expect(log.unexpectedFailures).toEqual([]);

    const restarted = await start();
    expect(restarted.output()).toContain('did not stop cleanly and no longer runs; taking over its lock');
    const found = await verify(log);
    expect(found).toBe(log.acknowledged());
    totals.acknowledged += log.acknowledged();
    totals.found += found;
    summary.push(
      `round ${round}: killed the ${kill === 'group' ? 'whole process group' : 'launcher alone'} after ${delayMs} ms; ` +
        `${log.acknowledged()} writes acknowledged, ${found} found after restart; ${log.inFlight()} in flight, each whole or absent`,
    );
  }

  it(
    `keeps every acknowledged write across ${GROUP_KILL_ROUNDS} kills of the whole stack and ${LAUNCHER_KILL_ROUNDS} of the launcher alone`,
    async () => {
      const started = Date.now();
      await start();
      expect(await readFile(join(dataDirectory, 'embedded-mongo.lock'), 'utf8')).toContain(`"pid":${String(launcher?.pid).padStart(10)}`);
      const { district } = await graphql<{ district: { buildings: { nodes: { id: string }[] } } }>(
        'query ($id: ID!) { district(id: $id) { buildings(first: 50) { nodes { id } } } }',
        { id: DISTRICT },
      );
      buildings = district.buildings.nodes.slice(0, CLIENTS).map(({ id }) => id);
      expect(buildings).toHaveLength(CLIENTS);
      for (const buildingId of buildings) expectedRequestCount.set(buildingId, await requestCount(buildingId));

      let round = 0;
      for (let index = 0; index < GROUP_KILL_ROUNDS; index++) await crashRound(++round, 'group');
      for (let index = 0; index < LAUNCHER_KILL_ROUNDS; index++) await crashRound(++round, 'launcher');
      summary.push(
        `${round} rounds in ${Math.round((Date.now() - started) / 1000)} s: ${totals.acknowledged} writes acknowledged, ${totals.found} found after restarts`,
      );
    },
    30 * 60_000,
  );

  it('refuses a second launcher on the same data folder, naming the folder and the holder', async () => {
    const first = launcher ?? (await start());
    const second = await launch(dataDirectory, ENV);
    const exitCode = await second.exited;
    expect(exitCode).not.toBe(0);
    expect(second.output()).toContain(`The data folder ${dataDirectory} is in use by process ${first.pid}`);
    // The first one is unharmed.
    await expect(requestCount(buildings[0] as string)).resolves.toBe(expectedRequestCount.get(buildings[0] as string));
  }, 300_000);
});
