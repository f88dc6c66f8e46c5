import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Caller } from '../../lib/auth/caller';
import { serviceLogger } from '../../lib/http/serviceProcess';
import { registerTracerProvider } from '../../lib/telemetry/tracerProvider';
import type { Tracing } from '../../lib/telemetry/tracing';
import { seedDemoDataIfEmpty } from '../../scripts/seed/demo';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * The graph seen from outside, as an operator sees it: one trace per operation from the gateway down to MongoDB,
 * metrics on /metrics, log lines that lead to their trace; and none of it carrying what tenants told their landlord.
 */

const DISTRICT_DASHBOARD = readFileSync(path.resolve(__dirname, '../../schema/operations/districtDashboard.graphql'), 'utf8');
const MIRAIL = 'district-grand-mirail';
const COORDINATOR: Caller = { role: 'COORDINATOR', sub: 'coordinatrice-mirail', districtIds: [MIRAIL] };
const STAFF: Caller = { role: 'LANDLORD_STAFF', sub: 'Gaëlle Témoin-Privée', landlordId: 'landlord-tmh' };
const METRICS_TOKEN = 'metrics-token-for-the-observability-test';

const exporter = new InMemorySpanExporter();
const logLines: Record<string, unknown>[] = [];
let tracing: Tracing;
let graph: TestGraph;

beforeAll(async () => {
  tracing = registerTracerProvider('observability-test', new SimpleSpanProcessor(exporter));
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  graph = await startTestGraph({ gatewayLogger: serviceLogger('gateway', logs) });
  await seedDemoDataIfEmpty(graph.db);
}, 60_000);

afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await graph.close();
  await tracing.shutdown();
});

function dashboard(caller: Caller = COORDINATOR) {
  return graph.request(DISTRICT_DASHBOARD, { caller, variables: { districtId: MIRAIL } });
}

const scopeOf = (span: ReadableSpan) => span.instrumentationScope.name.replace('quartier-commun/', '');

describe('a district dashboard through the real gateway', () => {
  let spans: ReadableSpan[];
  let requestId: string;

  beforeAll(async () => {
    exporter.reset();
    requestId = 'traced-dashboard';
    const response = await graph.request(DISTRICT_DASHBOARD, {
      caller: COORDINATOR,
      variables: { districtId: MIRAIL },
      headers: { 'x-request-id': requestId },
    });
    dataOf(response);
    spans = exporter.getFinishedSpans();
  });

  it('is one trace: the gateway request at its root', () => {
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    const roots = spans.filter((span) => !span.parentSpanContext);
    expect(roots.map((span) => [scopeOf(span), span.name])).toEqual([['gateway', 'POST /graphql']]);
    expect(roots[0]!.attributes).toMatchObject({
      'graphql.operation.name': 'DistrictDashboard',
      'graphql.operation.type': 'query',
      'graphql.document.hash': expect.stringMatching(/^[0-9a-f]{64}$/),
      'enduser.role': 'COORDINATOR',
      'http.response.status_code': 200,
    });
  });

  it('holds the gateway’s parse, validation, plan and one fetch span per subgraph call, each subgraph’s request under its fetch', () => {
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => (span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined);
    const names = new Set(spans.filter((span) => scopeOf(span) === 'gateway').map((span) => span.name));
    expect([...names]).toEqual(expect.arrayContaining(['POST /graphql', 'graphql.parse', 'graphql.validate']));
    const gatewaySpans = new Set(
      spans
        .filter((span) => span.instrumentationScope.name.startsWith('@apollo/gateway') || span.name.startsWith('gateway.'))
        .map((span) => span.name),
    );
    expect([...gatewaySpans]).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.validate', 'gateway.plan', 'gateway.execute', 'gateway.fetch']),
    );

    const subgraphRequests = spans.filter((span) => span.name === 'POST /graphql' && scopeOf(span) !== 'gateway');
    expect(new Set(subgraphRequests.map(scopeOf))).toEqual(new Set(['housing', 'tenancy', 'actions', 'partners']));
    for (const request of subgraphRequests) {
      const fetch = parentOf(request);
      expect(fetch?.name).toBe('gateway.fetch');
      expect(fetch?.attributes.service).toBe(scopeOf(request));
      expect(request.attributes['graphql.operation.name']).toMatch(new RegExp(`^DistrictDashboard__${scopeOf(request)}__\\d+$`));
    }
  });

  it('puts every MongoDB command under the subgraph request that sent it, through the resolver that asked', () => {
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const commands = spans.filter((span) => scopeOf(span) === 'mongodb');
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      expect(command.attributes).toMatchObject({ 'db.system': 'mongodb', 'db.operation': expect.any(String) });
      const ancestors: ReadableSpan[] = [];
      for (
        let span = command.parentSpanContext && byId.get(command.parentSpanContext.spanId);
        span;
        span = span.parentSpanContext && byId.get(span.parentSpanContext.spanId)
      ) {
        ancestors.push(span);
      }
      const subgraphRequest = ancestors.find((span) => /^(POST \/graphql|GET \/revisions)$/.test(span.name) && scopeOf(span) !== 'gateway');
      expect(subgraphRequest).toBeDefined();
      // The response cache's read of the subgraphs' revisions, or a resolver's.
      if (subgraphRequest!.name === 'GET /revisions') expect(command.attributes['db.collection']).toBe('graphRevisions');
      else expect(ancestors[0]!.name).toMatch(/^resolve \w+\.\w+$/);
    }
    // The response cache read them once for this request, in housing.
    expect(spans.filter((span) => span.name === 'GET /revisions').map(scopeOf)).toEqual(['housing']);
    expect(commands.map((span) => span.attributes['db.collection'])).toEqual(
      expect.arrayContaining(['districts', 'buildings', 'requestCells', 'actions']),
    );
  });

  it('logs its request line with the trace and span ids beside the request id', () => {
    const [root] = spans.filter((span) => !span.parentSpanContext);
    const line = logLines.find((entry) => entry.msg === 'graphql request' && entry.requestId === requestId);
    expect(line).toMatchObject({
      trace_id: root!.spanContext().traceId,
      span_id: root!.spanContext().spanId,
      operationName: 'DistrictDashboard',
    });
  });
});

describe('GET /metrics', () => {
  const metricsUrl = (serviceUrl: string) => new URL('/metrics', serviceUrl).toString();

  async function scrape(serviceUrl: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(metricsUrl(serviceUrl), { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  }

  /** A series `name{label="value",…}` as name and sorted labels, so that label order does not matter. */
  function seriesKey(series: string): string {
    const [, name = series, labels = ''] = /^(\w+)\{(.*)\}$/.exec(series) ?? [];
    return `${name}${JSON.stringify([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, label, value]) => `${label}=${value}`).sort())}`;
  }

  /** The value of one series (`name{label="value",…}`, labels in any order), 0 when it is absent. */
  function valueOf(text: string, series: string): number {
    const wanted = seriesKey(series);
    const line = text
      .split('\n')
      .find((candidate) => !candidate.startsWith('#') && seriesKey(candidate.slice(0, candidate.lastIndexOf(' '))) === wanted);
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  it('counts the operations, errors, response cache outcomes, subgraph fetches, plan cache hits and subgraph operations known traffic made', async () => {
    const before = { gateway: await scrape(graph.gatewayUrl), tenancy: await scrape(graph.subgraphUrls.tenancy) };
    // A caller whose dashboard the response cache does not hold yet: executed, then served from it.
    dataOf(await dashboard(STAFF));
    dataOf(await dashboard(STAFF));
    const refused = await graph.request('query DistrictDashboard { districts { id } }', { caller: null });
    expect(refused.status).toBe(401);
    const after = {
      gateway: await scrape(graph.gatewayUrl, { authorization: `Bearer ${METRICS_TOKEN}` }),
      tenancy: await scrape(graph.subgraphUrls.tenancy),
    };

    const delta = (service: 'gateway' | 'tenancy', series: string) => valueOf(after[service], series) - valueOf(before[service], series);
    expect(
      delta('gateway', 'graphql_operations_total{operation="DistrictDashboard",operation_type="query",outcome="ok",service="gateway"}'),
    ).toBe(2);
    expect(delta('gateway', 'graphql_errors_total{operation="anonymous",code="UNAUTHENTICATED",service="gateway"}')).toBe(1);
    expect(
      delta('gateway', 'graphql_operation_duration_seconds_count{operation="DistrictDashboard",operation_type="query",service="gateway"}'),
    ).toBe(2);
    for (const outcome of ['miss', 'hit']) {
      expect(delta('gateway', `gateway_response_cache_lookups_total{outcome="${outcome}",service="gateway"}`)).toBe(1);
    }
    expect(
      delta('gateway', 'gateway_subgraph_fetch_duration_seconds_count{subgraph="tenancy",outcome="ok",service="gateway"}'),
    ).toBeGreaterThanOrEqual(1);
    // The dashboard executed looks its plan up once, and finds it (the traced dashboard was planned before).
    expect(delta('gateway', 'gateway_query_plan_cache_lookups_total{result="hit",service="gateway"}')).toBe(1);
    expect(delta('gateway', 'gateway_query_plan_cache_lookups_total{result="miss",service="gateway"}')).toBe(0);
    expect(valueOf(after.gateway, 'gateway_subgraph_circuit_state{subgraph="housing",service="gateway"}')).toBe(0);
    expect(valueOf(after.gateway, 'graphql_operations_in_flight{service="gateway"}')).toBe(0);
    expect(after.gateway).toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="gateway"\} /m);
    expect(
      delta('tenancy', 'graphql_operations_total{operation="DistrictDashboard",operation_type="query",outcome="ok",service="tenancy"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('names only published operations: any other name is "other"', async () => {
    await graph.request('query Whatever0612345678 { districts { id } }', { caller: COORDINATOR });
    const text = await scrape(graph.gatewayUrl);
    expect(text).not.toContain('Whatever0612345678');
    expect(text).toMatch(/graphql_operations_total\{operation="other",operation_type="query",outcome="ok",service="gateway"\} [1-9]/);
  });

  it('is refused with a wrong token, even from this machine, and answers the right one', async () => {
    const wrong = await fetch(metricsUrl(graph.gatewayUrl), { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await wrong.text()).not.toContain('graphql_operations_total');
    const forwarded = await fetch(metricsUrl(graph.subgraphUrls.housing), { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(forwarded.status).toBe(401);
    const right = await fetch(metricsUrl(graph.subgraphUrls.housing), {
      headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
  });
});

describe('private values', () => {
  it('never appear in spans, span names or metric labels, whoever reads or writes them', async () => {
    const secrets = {
      contactName: 'Zébulon Témoin-Privé',
      phone: '06 98 76 54 32',
      description: 'Fuite chez Mme Témoin, code porte 4711B',
    };
    const token = await graph.token(STAFF);
    const asStaff = (query: string, variables: Record<string, unknown>) =>
      graph.request(query, { caller: null, variables, headers: { authorization: `Bearer ${token}` } });
    const dwelling = await graph.db.collection(COLLECTIONS.dwellings).findOne({ landlordId: STAFF.landlordId });
    const building = await graph.db.collection(COLLECTIONS.buildings).findOne({ landlordId: STAFF.landlordId });
    exporter.reset();

    dataOf(
      await asStaff('mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id contactName phone } }', {
        input: { dwellingId: dwelling!._id, since: '2026-01-01', size: 2, contactName: secrets.contactName, phone: secrets.phone },
      }),
    );
    dataOf(
      await asStaff('mutation Open($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id description } }', {
        input: { buildingId: building!._id, category: 'PLUMBING_LEAK', channel: 'PHONE', description: secrets.description },
      }),
    );
    const read = await asStaff(
      'query Mine($building: ID!, $dwelling: ID!) { building(id: $building) { requests(first: 50) { nodes { description } } } dwelling(id: $dwelling) { household { contactName phone } } }',
      { building: building!._id, dwelling: dwelling!._id },
    );
    expect(JSON.stringify(read.data)).toContain(secrets.description);
    dataOf(await dashboard({ role: 'LANDLORD_STAFF', sub: STAFF.sub, landlordId: STAFF.landlordId }));

    // The demo's own private values too: every request description and household contact in the database.
    const demoDescriptions = await graph.db.collection(COLLECTIONS.serviceRequests).distinct('description');
    const demoContacts = await graph.db.collection(COLLECTIONS.households).distinct('contactName');
    const privateValues = [...Object.values(secrets), token, STAFF.sub, ...demoDescriptions, ...demoContacts].filter(
      (value): value is string => typeof value === 'string' && value.length > 0,
    );
    expect(privateValues.length).toBeGreaterThan(5);

    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(20);
    const exported = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        resource: span.resource.attributes,
      })),
    );
    const scraped = [
      await (await fetch(new URL('/metrics', graph.gatewayUrl))).text(),
      ...(await Promise.all(Object.values(graph.subgraphUrls).map(async (url) => (await fetch(new URL('/metrics', url))).text()))),
    ].join('\n');
    for (const value of privateValues) {
      expect(exported).not.toContain(value);
      expect(scraped).not.toContain(value);
    }
  });
});
