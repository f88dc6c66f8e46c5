import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SERVICE_NODE_FLAGS } from '../../lib/http/serviceProcess';
import { SUBGRAPHS, SUBGRAPH_NAMES } from '../../lib/subgraphs';

/**
 * docker-compose.yml is checked against the Compose Specification's JSON schema (compose-spec.json
 * beside this file, see README.md) and against the rules this project relies on to start in order.
 */
const repositoryRoot = path.resolve(__dirname, '../..');

interface ComposeService {
  build?: string | { context?: string; dockerfile?: string };
  image?: string;
  command?: string | string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function readCompose(): ComposeFile {
  // Compose resolves YAML merge keys (`<<: *anchor`), which YAML 1.2 parsers leave off by default.
  return parse(readFileSync(path.join(repositoryRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

function composeSchemaValidator() {
  const schema: object = JSON.parse(readFileSync(path.join(__dirname, 'compose-spec.json'), 'utf8'));
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    // $schema names draft 2019-09 under a URI Ajv does not bundle, yet the schema uses draft-07 keywords only.
    validateSchema: false,
    formats: {
      // Go durations, as Compose parses them: 10s, 1m30s, 500ms.
      duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
      // Compose-specific formats with no standard definition: accepted as written.
      expose: true,
      ports: true,
      subnet_ip_address: true,
    },
  });
  // The 2021 revision still carries draft-04 `id` annotations, which Ajv 8 rejects; no $ref uses them.
  ajv.removeKeyword('id');
  return ajv.compile(schema);
}

function dependencies(service: ComposeService): Record<string, string | undefined> {
  const dependsOn = service.depends_on ?? {};
  return Array.isArray(dependsOn)
    ? Object.fromEntries(dependsOn.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(dependsOn).map(([name, { condition }]) => [name, condition]));
}

function mounts(service: ComposeService): { source?: string; target?: string }[] {
  return (service.volumes ?? []).map((mount) => {
    if (typeof mount !== 'string') return mount;
    const [source, target] = mount.split(':');
    return { source, target };
  });
}

function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

describe('docker-compose.yml', () => {
  const compose = readCompose();
  const services = Object.entries(compose.services);
  const validate = composeSchemaValidator();

  it('is valid against the Compose Specification schema', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('is checked by a schema that does reject a misspelt key', () => {
    expect(validate({ services: { gateway: { image: 'x', healtcheck: {} } } })).toBe(false);
  });

  it.each(services)('gives %s a healthcheck', (_name, definition) => {
    expect(definition.healthcheck?.test).toBeDefined();
    expect(definition.healthcheck?.disable).not.toBe(true);
  });

  it.each(services)('makes %s depend only on services that exist', (_name, definition) => {
    for (const dependency of Object.keys(dependencies(definition))) {
      expect(Object.keys(compose.services)).toContain(dependency);
    }
  });

  it('builds every built service from the Dockerfile at the repository root', () => {
    const built = services.filter(([, definition]) => definition.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['gateway', ...SUBGRAPH_NAMES].sort());
    for (const [, { build }] of built) {
      expect(build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    }
    expect(existsSync(path.join(repositoryRoot, 'Dockerfile'))).toBe(true);
  });

  it('runs every service with the Node flags npm start and the benchmark use', () => {
    const dockerfile = readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^ENV .*\bNODE_OPTIONS=(\S+)/m);
    expect(/^ENV .*\bNODE_OPTIONS=(\S+)/m.exec(runtime)?.[1]).toBe(SERVICE_NODE_FLAGS.join(' '));
  });

  it('starts the gateway only once all four subgraphs are healthy', () => {
    const gatewayDependencies = dependencies(service(compose, 'gateway'));
    for (const subgraph of SUBGRAPH_NAMES) {
      expect(gatewayDependencies[subgraph]).toBe('service_healthy');
    }
  });

  it.each(SUBGRAPHS.map((subgraph) => [subgraph.name, subgraph] as const))(
    'starts %s once MongoDB is healthy, on its port, and points the gateway there',
    (name, subgraph) => {
      const definition = service(compose, name);
      expect(dependencies(definition).mongo).toBe('service_healthy');
      const port = definition.environment?.PORT;
      expect(port).toBe(String(subgraph.defaultPort));
      expect(service(compose, 'gateway').environment?.[subgraph.urlVariable]).toBe(`http://${name}:${port}/graphql`);
    },
  );

  it('keeps MongoDB data in a named volume', () => {
    const dataMount = mounts(service(compose, 'mongo')).find(({ target }) => target === '/data/db');
    expect(Object.keys(compose.volumes ?? {})).toContain(dataMount?.source);
  });
});
