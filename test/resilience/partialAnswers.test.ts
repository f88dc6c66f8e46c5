import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { RESPONSE_CACHE_HEADER } from '../../gateway/plugins/responseCache';
import { DistrictDashboardDocument, type DistrictDashboardQuery } from '../../client/generated/graphql';
import { authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { freePorts } from '../support/ports';

/**
 * `npm start` as a user runs it (the real launcher, its real processes), on free ports and a temporary data folder.
 * Each subgraph in turn hangs (SIGSTOP), then dies (SIGKILL): the district dashboard keeps what the others answer,
 * with SUBGRAPH_TIMEOUT, then SUBGRAPH_UNAVAILABLE, where the missing part was; the gateway is not ready meanwhile;
 * the launcher restarts the dead subgraph and the whole answer comes back. Then the launcher itself is killed -9:
 * none of its services outlives it, and a new launcher starts on the same ports.
 */

const ROOT = path.resolve(__dirname, '../..');
const DISTRICT = 'district-grand-mirail';
type Subgraph = 'housing' | 'tenancy' | 'actions' | 'partners';
type District = NonNullable<DistrictDashboardQuery['district']>;

interface Answer {
  data?: DistrictDashboardQuery | null;
  errors?: { path?: (string | number)[]; extensions?: { code?: string } }[];
  /** The response cache's word on it: hit, miss or bypass. */
  outcome: string | null;
}

// The response cache is on, as by default; its answers last this long at most here, so that the test can wait them out.
const CACHE_TTL_MS = 1_000;

/** The dashboard as it reads while `subgraph` fails: its fields null, everything the others answer as before. */
const WITHOUT: Record<Subgraph, (district: District) => District | null> = {
  housing: () => null,
  tenancy: (district) => ({
    ...district,
    requestStats: null,
    buildings: { ...district.buildings, nodes: district.buildings.nodes.map((building) => ({ ...building, requestStats: null })) },
  }),
  actions: (district) => ({ ...district, actions: null }),
  // An action without partners needs nothing from the partners subgraph.
  partners: (district) => ({
    ...district,
    partners: null,
    actions: district.actions?.map((action) => (action.partners?.length ? { ...action, partners: null } : action)) ?? null,
  }),
};

/**
 * Where the gateway must report errors while `subgraph` fails: at each of these paths or below it (a partner's
 * `name` below an action's `partners`, say), one for each part it would have filled.
 */
const MISSING_PATHS: Record<Subgraph, (district: District) => (string | number)[][]> = {
  housing: () => [['district']],
  tenancy: (district) => [
    ['district', 'requestStats'],
    ...district.buildings.nodes.map((_, index) => ['district', 'buildings', 'nodes', index, 'requestStats']),
  ],
  actions: () => [['district', 'actions']],
  partners: (district) => [
    ['district', 'partners'],
    ...(district.actions ?? []).flatMap((action, index) => (action.partners?.length ? [['district', 'actions', index, 'partners']] : [])),
  ],
};

function childrenOf(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? children.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Whether `pid` is a live process (an exited one that nobody has reaped yet is not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Polls `condition` until it holds, for at most `timeoutMs`; fails with `what` otherwise. */
async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting until ${what}`);
}

class Launcher {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  private output = '';

  constructor(env: NodeJS.ProcessEnv) {
    // What `npm start` runs, without npm in between: the pid is the launcher's own.
    this.process = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** The pid of the running service (`gateway`, `housing`, …) the launcher started. */
  servicePid(service: Subgraph | 'gateway'): number | undefined {
    const entry = service === 'gateway' ? 'gateway/main.ts' : `subgraphs/${service}/index.ts`;
    return childrenOf(this.pid).find((pid) => commandLineOf(pid).includes(entry));
  }

  /** The launcher's last log lines, to make a failure readable. */
  get log(): string {
    return this.output;
  }
}

describe('npm start, as each subgraph hangs and then dies', () => {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'qc-partial-answers-'));
  const launchers: Launcher[] = [];
  let env: NodeJS.ProcessEnv;
  let gatewayOrigin: string;
  let token: string;
  let baseline: District;

  const dashboard = async (): Promise<Answer> => {
    const response = await fetch(`${gatewayOrigin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(DistrictDashboardDocument), variables: { districtId: DISTRICT } }),
    });
    return { ...((await response.json()) as Omit<Answer, 'outcome'>), outcome: response.headers.get(RESPONSE_CACHE_HEADER) };
  };

  /**
   * The dashboard once no stored answer is left to serve it: executed, whatever the subgraphs do now. (A read in the
   * last quarter of a stored answer's time renews it in the background: hence waiting again while reads still hit.)
   */
  const executedAfresh = async (): Promise<Answer> => {
    let answer: Answer | undefined;
    await eventually('no stored dashboard is left', async () => {
      await new Promise((resolve) => setTimeout(resolve, CACHE_TTL_MS + 500));
      answer = await dashboard();
      return answer.outcome !== 'hit';
    });
    return answer!;
  };

  const readiness = async (): Promise<{ status: number; body: { subgraphs?: Record<string, string> } }> => {
    const response = await fetch(`${gatewayOrigin}/health/ready`);
    return { status: response.status, body: (await response.json()) as { subgraphs?: Record<string, string> } };
  };

  const wholeAnswerIsBack = async () => {
    const answer = await dashboard().catch(() => undefined);
    return answer?.errors === undefined && JSON.stringify(answer?.data?.district) === JSON.stringify(baseline);
  };

  const startLauncher = async (): Promise<Launcher> => {
    const launcher = new Launcher(env);
    launchers.push(launcher);
    await eventually('the gateway is ready', async () => (await readiness().catch(() => undefined))?.status === 200, 90_000).catch(
      (error: unknown) => Promise.reject(new Error(`${error instanceof Error ? error.message : String(error)}\n${launcher.log}`)),
    );
    return launcher;
  };

  beforeAll(async () => {
    const [gateway, housing, tenancy, actions, partners] = await freePorts(5);
    const { MONGODB_URI: _external, ...inherited } = process.env;
    env = {
      ...inherited,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(gateway),
      HOUSING_PORT: String(housing),
      TENANCY_PORT: String(tenancy),
      ACTIONS_PORT: String(actions),
      PARTNERS_PORT: String(partners),
      QC_DATA_DIR: dataDirectory,
      // A hung subgraph costs this long; ample for a healthy one answering the demo district on a loaded machine.
      SUBGRAPH_TIMEOUT_MS: '4000',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '500',
      RESPONSE_CACHE_TTL_MS: String(CACHE_TTL_MS),
      // Long enough to see a killed subgraph missing before the launcher starts it again.
      RESTART_DELAY_MS: '5000',
    };
    gatewayOrigin = `http://127.0.0.1:${gateway}`;
    token = await signToken({ role: 'ADMIN', sub: 'resilience-test' }, authConfigFromEnv({ NODE_ENV: 'test' }), { expiresIn: '10m' });
    await startLauncher();

    const answer = await dashboard();
    expect(answer.errors).toBeUndefined();
    baseline = answer.data!.district!;
  }, 120_000);

  afterAll(async () => {
    for (const launcher of launchers) {
      const services = childrenOf(launcher.pid);
      for (const pid of services) signal(pid, 'SIGCONT');
      signal(launcher.pid, 'SIGTERM');
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([launcher.exited, new Promise((resolve) => (giveUp = setTimeout(resolve, 20_000)))]);
      clearTimeout(giveUp);
      for (const pid of services) signal(pid, 'SIGKILL');
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  }, 60_000);

  it('answers the whole dashboard while every subgraph is up', () => {
    expect(baseline.requestStats).not.toBeNull();
    expect(baseline.buildings.nodes.length).toBeGreaterThan(0);
    expect(baseline.actions?.length).toBeGreaterThan(0);
    expect(baseline.actions?.some((action) => (action.partners?.length ?? 0) > 0)).toBe(true);
    expect(baseline.partners?.length).toBeGreaterThan(0);
  });

  it.each(['tenancy', 'actions', 'partners', 'housing'] as const)(
    '%s hung: a dashboard stored before is served whole while housing can vouch for it, then its fields are null with SUBGRAPH_TIMEOUT; killed: SUBGRAPH_UNAVAILABLE, not ready, restarted, whole again',
    async (subgraph) => {
      const launcher = launchers[0]!;
      const expectFailure = (answer: Answer, code: string) => {
        expect(answer.data).toEqual({ district: WITHOUT[subgraph](baseline) });
        const errors = answer.errors ?? [];
        const unreported = MISSING_PATHS[subgraph](baseline).filter(
          (missing) => !errors.some((error) => missing.every((key, index) => error.path?.[index] === key)),
        );
        expect(unreported).toEqual([]);
        expect(new Set(errors.map((error) => error.extensions?.code))).toEqual(new Set([code]));
      };

      const hungPid = launcher.servicePid(subgraph)!;
      expect(hungPid).toBeDefined();
      // A dashboard stored just now…
      expect((await executedAfresh()).outcome).toBe('miss');
      process.kill(hungPid, 'SIGSTOP');
      try {
        const stored = await dashboard();
        if (subgraph === 'housing') {
          // …is not served while housing, which tells the revisions, hangs: nothing can say it is still current.
          expectFailure(stored, 'SUBGRAPH_TIMEOUT');
        } else {
          // …is served whole while the revisions say nothing changed; past its time, the dashboard is executed again.
          expect(stored.outcome).toBe('hit');
          expect(stored.data?.district).toEqual(baseline);
          expectFailure(await executedAfresh(), 'SUBGRAPH_TIMEOUT');
        }
      } finally {
        process.kill(hungPid, 'SIGCONT');
      }
      await eventually(`the dashboard is whole after ${subgraph} resumed`, wholeAnswerIsBack);

      process.kill(hungPid, 'SIGKILL');
      expectFailure(await executedAfresh(), 'SUBGRAPH_UNAVAILABLE');
      const notReady = await readiness();
      expect(notReady.status).toBe(503);
      expect(notReady.body.subgraphs?.[subgraph]).toBe('unreachable');

      await eventually(`${subgraph} is restarted`, () => {
        const pid = launcher.servicePid(subgraph);
        return pid !== undefined && pid !== hungPid;
      });
      await eventually('the gateway is ready again', async () => (await readiness()).status === 200);
      await eventually(`the dashboard is whole after ${subgraph} restarted`, wholeAnswerIsBack);
    },
    150_000,
  );

  it('leaves no service behind when the launcher is killed -9, and a new one starts on the same ports', async () => {
    const launcher = launchers[0]!;
    const services = childrenOf(launcher.pid);
    expect(services.map(commandLineOf).filter((command) => /gateway\/main\.ts|subgraphs\/\w+\/index\.ts/.test(command))).toHaveLength(5);

    process.kill(launcher.pid, 'SIGKILL');
    await launcher.exited;
    await eventually('every service of the killed launcher has exited', () => services.every((pid) => !isRunning(pid)), 30_000);

    await startLauncher();
    const answer = await dashboard();
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.district?.name).toBe(baseline.name);
  }, 150_000);
});
