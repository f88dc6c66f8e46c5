import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { RESPONSE_CACHE_HEADER } from '../../gateway/plugins/responseCache';
import type { Caller } from '../../lib/auth/caller';
import { subgraphUrlEnv } from '../../lib/subgraphs';
import { coordinatorOf, createCooperation, staffOf } from '../support/actionsFixtures';
import { freePort } from '../support/ports';
import { startTestGraph } from '../support/testGraph';

/**
 * GATEWAY_WORKERS=2: the gateway serves from two node:cluster workers, which stop with it and take it down with them,
 * and answer /metrics for both; and a write through one worker is never followed by a stale answer from the other's
 * response cache.
 */

const ROOT = path.resolve(__dirname, '../..');

function workersOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startClusteredGateway(
  port: number,
  env: NodeJS.ProcessEnv = {},
): Promise<{ primary: ChildProcess; exited: Promise<number | null> }> {
  const primary = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', GATEWAY_WORKERS: '2', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // What the processes print when they fail (logs are silent): said if the gateway does not start.
  let stderr = '';
  primary.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve((exitCode = code))));
  // Generous: each worker loads TypeScript and plans the supergraph, on CPUs that the rest of the suite keeps busy.
  const deadline = Date.now() + 90_000;
  let lastProbe = 'not probed';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the clustered gateway exited (${exitCode}) while starting on ${port}: ${stderr}`);
    lastProbe = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => `status ${response.status}`,
      (error: unknown) => String((error as Error).cause ?? error),
    );
    if (lastProbe === 'status 200' && workersOf(primary.pid!).length === 2) return { primary, exited };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const workers = workersOf(primary.pid!).length;
  primary.kill('SIGKILL');
  throw new Error(`the clustered gateway did not start on ${port} within 90 s (${workers} workers, last probe: ${lastProbe}): ${stderr}`);
}

/** POSTs a GraphQL operation on a connection of its own, so that node:cluster hands each request to the next worker. */
function postOnNewConnection(
  port: number,
  token: string,
  body: object,
): Promise<{ outcome: string | undefined; body: { data?: Record<string, unknown>; errors?: unknown[] } }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ outcome: response.headers[RESPONSE_CACHE_HEADER] as string | undefined, body: JSON.parse(text) as never }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

/** A POST without a token on a connection of its own (so that connections spread over the workers): status only. */
function postWithoutToken(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify({ query: '{ districts { id } }' }));
  });
}

describe('a gateway with GATEWAY_WORKERS=2', () => {
  it('serves from two workers and, on SIGTERM, stops them and exits 0', async () => {
    const { primary, exited } = await startClusteredGateway(await freePort());
    const workers = workersOf(primary.pid!);
    expect(workers).toHaveLength(2);
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(isRunning)).toEqual([]);
  }, 150_000);

  it('answers /metrics with every worker’s figures summed, whichever worker takes the scrape', async () => {
    const port = await freePort();
    const { primary, exited } = await startClusteredGateway(port);
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push(await postWithoutToken(port));
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
      for (let scrape = 0; scrape < 2; scrape += 1) {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
        expect(response.status).toBe(200);
        expect(await response.text()).toMatch(/^graphql_errors_total\{[^}]*code="UNAUTHENTICATED"[^}]*\} 6$/m);
      }
    } finally {
      primary.kill('SIGTERM');
      await exited;
    }
  }, 150_000);

  it('stops altogether, exit code 1, when a worker dies on its own', async () => {
    const { primary, exited } = await startClusteredGateway(await freePort());
    const workers = workersOf(primary.pid!);
    process.kill(workers[0]!, 'SIGKILL');
    expect(await exited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(workers.filter(isRunning)).toEqual([]);
  }, 150_000);

  it('with RESPONSE_CACHE=on, answers a read through either worker with what a write through the other changed', async () => {
    const graph = await startTestGraph();
    const port = await freePort();
    const gateway = await startClusteredGateway(port, {
      RESPONSE_CACHE: 'on',
      RESPONSE_CACHE_TTL_MS: '600000',
      SUBGRAPH_SIGNING_SECRET: graph.signingSecret,
      ...subgraphUrlEnv(graph.subgraphUrls),
    });
    try {
      const cooperation = await createCooperation(graph);
      const as = (caller: Caller) => graph.token(caller);
      const [coordinator, staff] = [await as(coordinatorOf(cooperation.mirail)), await as(staffOf(cooperation.chalets))];
      const read = async () => {
        const { outcome, body } = await postOnNewConnection(port, coordinator, {
          query: 'query ($id: ID!) { district(id: $id) { actions { title } } }',
          variables: { id: cooperation.mirail },
        });
        const titles = (body.data as { district: { actions: { title: string }[] } }).district.actions.map((action) => action.title);
        return { outcome, titles };
      };

      // Until two answers in a row are hits: connections alternate between the workers, so both then hold the answer.
      // (A first read may also pass the cache by, when the revisions are slow to come on a busy machine.)
      const warm = async () => {
        const outcomes: (string | undefined)[] = [];
        while (outcomes.length < 12 && outcomes.slice(-2).join() !== 'hit,hit') outcomes.push((await read()).outcome);
        expect(outcomes.slice(-2)).toEqual(['hit', 'hit']);
        return outcomes;
      };

      for (const title of ['Nettoyage de printemps', 'Fête des voisins', 'Atelier compost']) {
        const outcomes = await warm();
        if (title === 'Nettoyage de printemps') expect(outcomes).toContain('miss');
        const proposal = { input: { districtId: cooperation.mirail, title, kind: 'SOCIAL_EVENT' } };
        const mutation = 'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }';
        expect((await postOnNewConnection(port, staff, { query: mutation, variables: proposal })).body.errors).toBeUndefined();
        // Reads through both workers, each of which held the answer from before the write: none may serve it. (Which
        // worker takes a connection is node:cluster's choice; a hit here is one stored after the write, with it.)
        const after = [await read(), await read(), await read(), await read()];
        expect(after[0]!.outcome).not.toBe('hit');
        for (const answer of after) expect(answer.titles).toContain(title);
      }
    } finally {
      gateway.primary.kill('SIGTERM');
      await gateway.exited;
      await graph.close();
    }
  }, 120_000);
});
