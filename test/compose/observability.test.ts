import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Registry } from 'prom-client';
import { parse } from 'yaml';
import { gatewayMetrics } from '../../gateway/plugins/telemetry';
import { SUBGRAPHS } from '../../lib/subgraphs';
import { graphqlTelemetry } from '../../lib/telemetry/graphqlTelemetry';
import { serviceRegistry } from '../../lib/telemetry/metrics';
import { observeMongo } from '../../lib/telemetry/mongoTelemetry';
import { operationLabeller } from '../../lib/telemetry/operationLabel';

/**
 * The `observability` profile of docker-compose.yml and what it loads from deploy/observability: the services it
 * adds, Prometheus' scrape targets, the alert rules and the Grafana dashboard. Every series a rule or a panel asks
 * for must be one the services register, with labels they set: a renamed metric would otherwise leave an empty
 * panel and an alert that never fires, and nothing else would say so.
 */
const repositoryRoot = path.resolve(__dirname, '../..');
const observability = path.join(repositoryRoot, 'deploy/observability');
const OBSERVABILITY_SERVICES = ['otel-collector', 'tempo', 'prometheus', 'grafana'];

interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { source?: string })[];
}

const compose = parse(readFileSync(path.join(repositoryRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const readYaml = (file: string) => parse(readFileSync(path.join(observability, file), 'utf8')) as unknown;

/** Every metric the gateway and a subgraph register, with the labels each may carry (Prometheus adds job and instance). */
function registeredMetrics(): Map<string, Set<string>> {
  const gateway = serviceRegistry('gateway');
  gatewayMetrics(gateway);
  graphqlTelemetry({ service: 'gateway', registry: gateway, operationLabel: operationLabeller({ cap: 1 }) });
  const subgraph = serviceRegistry('housing');
  graphqlTelemetry({ service: 'housing', registry: subgraph, operationLabel: operationLabeller({ cap: 1 }) });
  observeMongo(new MongoClient('mongodb://127.0.0.1:9/unused'), subgraph);

  const metrics = new Map<string, Set<string>>([['up', new Set(['job', 'instance'])]]);
  for (const registry of [gateway, subgraph] as Registry[]) {
    for (const metric of registry.getMetricsAsArray()) {
      const { name, labelNames = [] } = metric as unknown as { name: string; labelNames?: string[] };
      const type = (metric as unknown as { type?: string }).type;
      const labels = new Set([...labelNames, 'service', 'job', 'instance']);
      const series = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      for (const seriesName of series) metrics.set(seriesName, seriesName.endsWith('_bucket') ? new Set([...labels, 'le']) : labels);
    }
  }
  return metrics;
}

const metrics = registeredMetrics();

/** The problems of a PromQL expression: series the services do not register, labels those series do not have. */
function unknownReferences(expr: string): string[] {
  const problems: string[] = [];
  const selectors = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)];
  if (selectors.length === 0) problems.push(`no series selector in ${expr}`);
  const labelsInExpr = new Set<string>();
  for (const [, name = '', matchers = ''] of selectors) {
    const labels = metrics.get(name);
    if (!labels) {
      problems.push(`unknown series ${name}`);
      continue;
    }
    for (const label of labels) labelsInExpr.add(label);
    for (const [, label = ''] of matchers.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) {
      if (!labels.has(label)) problems.push(`${name} has no label ${label}`);
    }
  }
  for (const [, grouping = ''] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
    for (const label of grouping.split(',').map((part) => part.trim())) {
      if (!labelsInExpr.has(label)) problems.push(`grouping by ${label}, which no series of ${expr} has`);
    }
  }
  return problems;
}

describe('the observability profile', () => {
  it('adds the collector, Tempo, Prometheus and Grafana, and only under the profile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.profiles]).toEqual([name, OBSERVABILITY_SERVICES.includes(name) ? ['observability'] : undefined]);
    }
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(OBSERVABILITY_SERVICES));
  });

  it('mounts configuration files that exist', () => {
    const sources = Object.values(compose.services)
      .flatMap((service) => service.volumes ?? [])
      .map((mount) => (typeof mount === 'string' ? mount.split(':')[0] : mount.source))
      .filter((source): source is string => source?.startsWith('./') ?? false);
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const source of sources) expect([source, existsSync(path.join(repositoryRoot, source))]).toEqual([source, true]);
  });

  it('passes the tracing endpoint and the metrics token to the gateway and every subgraph', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((subgraph) => subgraph.name)]) {
      expect(compose.services[name]?.environment).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: '${OTEL_EXPORTER_OTLP_ENDPOINT:-}',
        METRICS_TOKEN: '${METRICS_TOKEN:-}',
      });
    }
  });
});

describe('Prometheus', () => {
  const config = readYaml('prometheus.yml') as {
    rule_files: string[];
    scrape_configs: { job_name: string; authorization?: { credentials_file?: string }; static_configs: { targets: string[] }[] }[];
  };

  it('scrapes the gateway and every subgraph on its port, with the metrics token', () => {
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((group) => group.targets)]),
    );
    expect(targets).toEqual({
      gateway: ['gateway:4000'],
      subgraphs: SUBGRAPHS.map((subgraph) => `${subgraph.name}:${subgraph.defaultPort}`),
    });
    for (const job of config.scrape_configs) expect(job.authorization?.credentials_file).toBe('/tmp/metrics-token');
  });

  it('loads the alert rules from where the compose file mounts them', () => {
    const mounted = (compose.services.prometheus?.volumes ?? []).map(String);
    for (const ruleFile of config.rule_files) expect(mounted).toContain(`./deploy/observability/${path.basename(ruleFile)}:${ruleFile}:ro`);
  });

  const rules = (readYaml('alerts.yml') as { groups: { name: string; rules: Record<string, unknown>[] }[] }).groups.flatMap(
    (group) => group.rules,
  );

  it('has the alerts operators need: a subgraph down, the error rate, p99 over budget', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining(['SubgraphDown', 'GatewayDown', 'HighErrorRate', 'LatencyP99OverBudget']),
    );
  });

  it.each(rules.map((rule) => [String(rule.alert), rule] as const))(
    '%s is complete and asks only for registered series',
    (_alert, rule) => {
      expect(rule).toMatchObject({
        expr: expect.any(String),
        for: expect.stringMatching(/^\d+[smh]$/),
        labels: { severity: expect.stringMatching(/^(critical|warning)$/) },
        annotations: { summary: expect.any(String), description: expect.any(String) },
      });
      expect(unknownReferences(String(rule.expr))).toEqual([]);
    },
  );
});

describe('the Grafana dashboard', () => {
  interface Panel {
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource: { uid: string };
    targets: { refId: string; expr: string; datasource: { uid: string } }[];
  }
  const dashboard = JSON.parse(readFileSync(path.join(observability, 'grafana/dashboards/quartier-commun.json'), 'utf8')) as {
    uid: string;
    title: string;
    schemaVersion: number;
    panels: Panel[];
  };
  const datasources = (readYaml('grafana/provisioning/datasources/datasources.yaml') as { datasources: { uid: string; type: string }[] })
    .datasources;

  it('is a dashboard Grafana loads: uid, title, schema version, panels with unique ids on the 24-column grid', () => {
    expect(dashboard).toMatchObject({
      uid: expect.stringMatching(/^[\w-]{1,40}$/),
      title: expect.any(String),
      schemaVersion: expect.any(Number),
    });
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(panel).toMatchObject({ type: expect.any(String), title: expect.any(String), targets: expect.any(Array) });
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      expect(new Set(panel.targets.map((target) => target.refId)).size).toBe(panel.targets.length);
    }
  });

  it.each(dashboard.panels.map((panel) => [panel.title, panel] as const))(
    '"%s" queries registered series through a provisioned data source',
    (_title, panel) => {
      const prometheus = datasources.find((source) => source.type === 'prometheus');
      expect(panel.datasource.uid).toBe(prometheus?.uid);
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target.datasource.uid).toBe(prometheus?.uid);
        expect(unknownReferences(target.expr)).toEqual([]);
      }
    },
  );

  it('shows the district dashboard’s latency, errors by code, each subgraph’s share, breaker states and MongoDB latency', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join('\n');
    expect(exprs).toMatch(/graphql_operation_duration_seconds_bucket\{[^}]*operation="DistrictDashboard"/);
    expect(exprs).toMatch(/sum by \(code\) \(rate\(graphql_errors_total/);
    expect(exprs).toMatch(/sum by \(subgraph\) \(rate\(gateway_subgraph_fetch_duration_seconds_sum/);
    expect(exprs).toContain('gateway_subgraph_circuit_state');
    expect(exprs).toContain('mongodb_command_duration_seconds_bucket');
  });

  it('is checked by a reference check that does catch an unknown series or label', () => {
    expect(unknownReferences('rate(graphql_requests_total{service="gateway"}[5m])')).toEqual(['unknown series graphql_requests_total']);
    expect(unknownReferences('sum by (subgraph) (rate(graphql_errors_total{subgraph="x"}[5m]))')).toHaveLength(2);
  });
});
