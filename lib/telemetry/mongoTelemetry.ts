import { context, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, Document, MongoClient } from 'mongodb';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { COMMAND_LATENCY_BUCKETS } from './metrics';
import { tracerOf, tracingStarted } from './tracing';

/** Commands that serve the connection, not the data: health pings and handshakes are not the work we observe. */
export const CONNECTION_COMMANDS: ReadonlySet<string> = new Set([
  'ping',
  'hello',
  'isMaster',
  'ismaster',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

/**
 * Observes a MongoDB client through the driver's own monitoring (the client must be created with `monitorCommands`):
 * a span for each command, child of whatever span is active when the driver sends it (a subgraph's request, a
 * resolver), when tracing is on; and, with a registry, the command latencies and the connection pool's size. Spans
 * and labels name the command, the database and the collection, never the command's body: filters and documents
 * hold tenants' data.
 */
export function observeMongo(client: MongoClient, registry?: Registry): void {
  if (tracingStarted()) traceCommands(client);
  if (registry) measureClient(client, registry);
}

function traceCommands(client: MongoClient): void {
  const tracer = tracerOf('mongodb');
  const spans = new Map<string, Span>();
  client.on('commandStarted', (event) => {
    if (CONNECTION_COMMANDS.has(event.commandName)) return;
    const collection = collectionOf(event.commandName, event.command);
    const span = tracer.startSpan(
      collection ? `${event.commandName} ${collection}` : event.commandName,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'mongodb',
          'db.operation': event.commandName,
          'db.name': event.databaseName,
          ...(collection && { 'db.collection': collection }),
        },
      },
      context.active(),
    );
    spans.set(commandKey(event), span);
  });
  const end = (event: CommandSucceededEvent | CommandFailedEvent, failed: boolean) => {
    const key = commandKey(event);
    const span = spans.get(key);
    if (!span) return;
    spans.delete(key);
    // The failure's message may quote the document (a duplicate key names its value): its code alone is recorded.
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: codeNameOf((event as CommandFailedEvent).failure) });
    span.end();
  };
  client.on('commandSucceeded', (event) => end(event, false));
  client.on('commandFailed', (event) => end(event, true));
}

function measureClient(client: MongoClient, registry: Registry): void {
  const commandSeconds = new Histogram({
    name: 'mongodb_command_duration_seconds',
    help: 'MongoDB commands sent by this service, by command, collection and outcome (ok or error), in seconds',
    labelNames: ['command', 'collection', 'outcome'],
    buckets: COMMAND_LATENCY_BUCKETS,
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'mongodb_pool_connections',
    help: "The MongoDB driver's pooled connections: open, and in use by a command",
    labelNames: ['state'],
    registers: [registry],
  });
  const checkoutFailures = new Counter({
    name: 'mongodb_pool_checkout_failures_total',
    help: 'Times a command could not get a pooled connection (pool closed, timed out, connection error)',
    registers: [registry],
  });
  connections.set({ state: 'open' }, 0);
  connections.set({ state: 'in_use' }, 0);
  const collections = new Map<string, string>();
  client.on('commandStarted', (event) => {
    if (!CONNECTION_COMMANDS.has(event.commandName))
      collections.set(commandKey(event), collectionOf(event.commandName, event.command) ?? '');
  });
  const record = (event: CommandSucceededEvent | CommandFailedEvent, outcome: 'ok' | 'error') => {
    const key = commandKey(event);
    const collection = collections.get(key);
    if (collection === undefined) return;
    collections.delete(key);
    commandSeconds.observe({ command: event.commandName, collection, outcome }, event.duration / 1000);
  };
  client.on('commandSucceeded', (event) => record(event, 'ok'));
  client.on('commandFailed', (event) => record(event, 'error'));
  client.on('connectionCreated', () => connections.inc({ state: 'open' }));
  client.on('connectionClosed', () => connections.dec({ state: 'open' }));
  client.on('connectionCheckedOut', () => connections.inc({ state: 'in_use' }));
  client.on('connectionCheckedIn', () => connections.dec({ state: 'in_use' }));
  client.on('connectionCheckOutFailed', () => checkoutFailures.inc());
}

/** A command's request id is unique on its connection only. */
function commandKey(event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent): string {
  return `${event.address}/${String(event.connectionId)}/${event.requestId}`;
}

/** The collection a command works on: its first field's value (`{ find: 'buildings', … }`), or `collection` for getMore. */
function collectionOf(commandName: string, command: Document): string | undefined {
  const named: unknown = commandName === 'getMore' ? command.collection : command[commandName];
  return typeof named === 'string' ? named : undefined;
}

function codeNameOf(failure: Error): string {
  const codeName = (failure as { codeName?: unknown }).codeName;
  return typeof codeName === 'string' ? codeName : failure.name;
}
