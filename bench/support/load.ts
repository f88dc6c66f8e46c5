import autocannon from 'autocannon';
import { cpuMilliseconds, sampleRss } from './processes';
import type { Workload } from './workloads';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** A bound on the requests of one run, whatever its duration. */
  maxRequests: number;
  /** When set, a run is this many requests rather than a duration (each request bounded by a 30 s timeout). */
  amount?: number;
}

/** Where a run sends its load, and what it watches while it does. */
export interface LoadTarget {
  variant: string;
  url: string;
  /**
   * The processes behind this gateway, for their CPU time and peak RSS, by name: `gateway` (with its workers), each
   * subgraph, and `mongo` when MongoDB is a local process.
   */
  processes: Record<string, number>;
  /** MongoDB's CPU time so far in ms when it is not a process of the benchmark (a real server's serverStatus). */
  mongoCpuMs?: () => Promise<number | undefined>;
  /** Subgraph /health URLs, for their database command counts. */
  subgraphHealthUrls: string[];
}

export interface RunResult {
  variant: string;
  operation: string;
  round: number;
  connections: number;
  durationSeconds: number;
  responses: number;
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Connection errors and timeouts, non-2xx responses, and 2xx responses carrying GraphQL errors. */
  errors: { connection: number; non2xx: number; graphql: number };
  /** Commands sent by the subgraphs during the run and until they fell idle, per request sent. */
  mongoCommandsPerRequest: number;
  /** Time the subgraphs waited for MongoDB answers, summed over the subgraphs, per request sent (ms). */
  mongoMsPerRequest: number;
  peakRssMiB: Record<string, number>;
  /** CPU time per request sent, in ms, of each process (as `processes`, and `mongo`) and their `total`. */
  cpuMsPerRequest: Record<string, number>;
}

interface CommandTotals {
  commands: number;
  milliseconds: number;
}

/** A subgraph saturated by a run may drop a health request: asked again up to 5 times, a second apart. */
async function fetchRetrying(url: string, attempts = 5): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      if (attempt >= attempts) throw error;
      await pause(1_000);
    }
  }
}

export async function commandTotals(healthUrls: readonly string[]): Promise<CommandTotals> {
  const counts = await Promise.all(
    healthUrls.map(async (url) => {
      const health = (await (await fetchRetrying(url)).json()) as { mongoCommands?: CommandTotals };
      if (!health.mongoCommands) throw new Error(`${url} reports no command counts: MONGO_COMMAND_COUNTING=1 is not set`);
      return health.mongoCommands;
    }),
  );
  return counts.reduce((sum, count) => ({ commands: sum.commands + count.commands, milliseconds: sum.milliseconds + count.milliseconds }), {
    commands: 0,
    milliseconds: 0,
  });
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** One autocannon run; latencies are recorded here, per response, for exact percentiles. */
async function fire(url: string, workload: Workload, connections: number, seconds: number, maxRequests: number, amount?: number) {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  const options: autocannon.Options = {
    url,
    connections,
    ...(amount === undefined ? { duration: seconds, maxOverallRequests: maxRequests } : { amount }),
    timeout: 30,
    ...workload.options(),
    // A GraphQL error comes with status 200: counted as a mismatch.
    verifyBody: (body) => {
      const ok = !String(body ?? '').includes('"errors":');
      if (!ok) graphqlErrors += 1;
      return ok;
    },
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, finished) => (error ? reject(error as Error) : resolve(finished)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return { result, latencies, graphqlErrors };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Waits until the subgraphs send no more database commands (requests a finished run abandoned mid-way still
 * run to their end), so that they do not count in the next run; gives up after `timeoutMs`.
 */
async function quiesce(healthUrls: readonly string[], timeoutMs = 20_000): Promise<CommandTotals> {
  const deadline = Date.now() + timeoutMs;
  let last = await commandTotals(healthUrls);
  let stablePolls = 0;
  // Idle = neither a command started nor one finished over two polls in a row (a long aggregate spans one poll).
  while (stablePolls < 2 && Date.now() < deadline) {
    await pause(250);
    const now = await commandTotals(healthUrls);
    stablePolls = now.commands === last.commands && now.milliseconds === last.milliseconds ? stablePolls + 1 : 0;
    last = now;
  }
  return last;
}

/** Warm-up, then the measured run, with database commands counted and RSS sampled over the measured part only. */
export async function measure(target: LoadTarget, workload: Workload, settings: LoadSettings, round: number): Promise<RunResult> {
  if (settings.warmupSeconds > 0) {
    await fire(
      target.url,
      workload,
      settings.connections,
      settings.warmupSeconds,
      settings.maxRequests,
      settings.amount && settings.connections,
    );
  }
  const before = await quiesce(target.subgraphHealthUrls);
  const rss = sampleRss(target.processes);
  const cpu = async () => {
    const times: Record<string, number> = Object.fromEntries(
      Object.entries(target.processes).map(([name, pid]) => [name, cpuMilliseconds(pid)]),
    );
    const mongo = await target.mongoCpuMs?.();
    if (mongo !== undefined) times.mongo = mongo;
    return times;
  };
  const cpuBefore = await cpu();
  const started = performance.now();
  const { result, latencies, graphqlErrors } = await fire(
    target.url,
    workload,
    settings.connections,
    settings.durationSeconds,
    settings.maxRequests,
    settings.amount,
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  const peakRssMiB = rss.stop();
  // Requests still in flight when the run ended go on in the subgraphs: their commands count once they are done,
  // and so do they, among the requests sent.
  const after = await quiesce(target.subgraphHealthUrls);
  const cpuAfter = await cpu();
  const sent = Math.max((result.requests as { sent?: number }).sent ?? 0, latencies.length);
  latencies.sort((a, b) => a - b);
  const responses = latencies.length;
  return {
    variant: target.variant,
    operation: workload.name,
    round,
    connections: settings.connections,
    durationSeconds: round1(elapsedSeconds),
    responses,
    rps: round1(responses / elapsedSeconds),
    latencyMs: {
      p50: round1(percentile(latencies, 50)),
      p95: round1(percentile(latencies, 95)),
      p99: round1(percentile(latencies, 99)),
      max: round1(latencies.at(-1) ?? 0),
    },
    errors: { connection: result.errors + result.timeouts, non2xx: result.non2xx, graphql: graphqlErrors },
    mongoCommandsPerRequest: sent ? round2((after.commands - before.commands) / sent) : 0,
    mongoMsPerRequest: sent ? round1((after.milliseconds - before.milliseconds) / sent) : 0,
    peakRssMiB,
    cpuMsPerRequest: cpuPerRequest(cpuBefore, cpuAfter, sent),
  };
}

function cpuPerRequest(before: Record<string, number>, after: Record<string, number>, sent: number): Record<string, number> {
  const perRequest = Object.fromEntries(
    Object.keys(after).map((name) => [name, sent ? (after[name]! - (before[name] ?? after[name]!)) / sent : 0]),
  );
  const total = Object.values(perRequest).reduce((sum, value) => sum + value, 0);
  return Object.fromEntries(Object.entries({ ...perRequest, total }).map(([name, value]) => [name, round1(value)]));
}

export interface SingleResult {
  mongoCommands: number;
  /** Time the subgraphs waited for MongoDB answers, summed over the subgraphs (their commands overlap). */
  mongoMs: number;
  latencyMs: number;
  ok: boolean;
}

/** The workload's one request, sent and answered (its body). */
function sendSingle(target: LoadTarget, workload: Workload, timeoutMs: number): Promise<string> {
  const { headers, body } = workload.single();
  return fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) }).then((response) => response.text());
}

/** The latency of one request, unmeasured otherwise: the first one a fresh graph answers, say. */
export async function timedRequest(target: LoadTarget, workload: Workload): Promise<number> {
  const started = performance.now();
  await sendSingle(target, workload, 60_000);
  return round1(performance.now() - started);
}

/** Requests `single` sends: an unmeasured one, then the one it measures. */
export const REQUESTS_PER_SINGLE = 2;

/** The database commands and the latency of one request on an idle graph (no concurrency: nothing shared). */
export async function single(target: LoadTarget, workload: Workload): Promise<SingleResult> {
  const send = () => sendSingle(target, workload, 30_000);
  await send();
  const before = await quiesce(target.subgraphHealthUrls);
  const started = performance.now();
  const text = await send();
  const latencyMs = round1(performance.now() - started);
  const after = await commandTotals(target.subgraphHealthUrls);
  return {
    mongoCommands: after.commands - before.commands,
    mongoMs: round1(after.milliseconds - before.milliseconds),
    latencyMs,
    ok: !text.includes('"errors":'),
  };
}
