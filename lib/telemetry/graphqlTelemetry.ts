import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { errorCodesOf, refusalOf } from '../errors/responseCodes';
import { currentRequestScope } from '../http/requestScope';
import { LATENCY_BUCKETS } from './metrics';
import { ANONYMOUS_OPERATION } from './operationLabel';
import { tracerOf, tracingStarted } from './tracing';

export interface GraphQLTelemetryOptions {
  service: string;
  registry: Registry;
  /** The operation's name as a metric label (see operationLabeller). */
  operationLabel: (name: string | null | undefined) => string;
}

// Error codes are the contract's (lib/errorCodes.ts) and GraphQL's own; anything else shaped otherwise is one label.
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * What every GraphQL service (the gateway and each subgraph) records of each operation. Metrics: operations by
 * name, type and outcome, their errors by code, their latency, those in flight. Spans: parsing and validation, and
 * on the request's span (see inRequestSpan) the operation's name, type and hash, the caller's role and the error
 * codes. Never the document's text, its variables, or who the caller is beyond their role.
 */
export function graphqlTelemetry({ service, registry, operationLabel }: GraphQLTelemetryOptions): ApolloServerPlugin {
  const tracer = tracerOf(service);
  const registers = [registry];
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations answered, by operation name (published ones; others are "other"), type and outcome (ok, or error when the response has errors)',
    labelNames: ['operation', 'operation_type', 'outcome'],
    registers,
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses (partial answers included) and requests refused before any operation ran, by operation and extensions.code',
    labelNames: ['operation', 'code'],
    registers,
  });
  const seconds = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from the request’s arrival to its response, by operation and type, in seconds',
    labelNames: ['operation', 'operation_type'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const inFlight = new Gauge({ name: 'graphql_operations_in_flight', help: 'GraphQL operations being served now', registers });

  const refused = (error: Error, defaultStatus: number) => {
    const [code = 'INTERNAL_SERVER_ERROR'] = refusalOf(error, defaultStatus).errorCodes;
    operations.inc({ operation: ANONYMOUS_OPERATION, operation_type: 'unknown', outcome: 'error' });
    errors.inc({ operation: ANONYMOUS_OPERATION, code: codeLabel(code) });
    trace.getActiveSpan()?.setAttribute('graphql.error.codes', [code]);
  };

  const phaseSpans = tracingStarted() && {
    async parsingDidStart() {
      const span = tracer.startSpan('graphql.parse');
      return async (error?: Error) => endSpan(span, error !== undefined);
    },
    async validationDidStart() {
      const span = tracer.startSpan('graphql.validate');
      return async (validationErrors?: readonly Error[]) => endSpan(span, (validationErrors?.length ?? 0) > 0);
    },
  };

  return {
    async requestDidStart() {
      inFlight.inc();
      const scope = currentRequestScope();
      const startedAt = performance.now();
      return {
        ...phaseSpans,
        async willSendResponse({ operation, operationName, queryHash, response }) {
          inFlight.dec();
          const codes = errorCodesOf(response.body);
          const labels = { operation: operationLabel(operationName), operation_type: operation?.operation ?? 'unknown' };
          operations.inc({ ...labels, outcome: codes.length > 0 ? 'error' : 'ok' });
          for (const code of codes) errors.inc({ operation: labels.operation, code: codeLabel(code) });
          seconds.observe(labels, (performance.now() - (scope?.startedAt ?? startedAt)) / 1000);

          const span = trace.getActiveSpan();
          if (!span?.isRecording()) return;
          const role = currentRequestScope()?.caller?.role;
          span.setAttributes({
            ...(operationName && { 'graphql.operation.name': operationName }),
            'graphql.operation.type': labels.operation_type,
            ...(queryHash && { 'graphql.document.hash': queryHash }),
            ...(role && { 'enduser.role': role }),
            ...(codes.length > 0 && { 'graphql.error.codes': [...new Set(codes)] }),
          });
          if (codes.length > 0) span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
    async contextCreationDidFail({ error }) {
      refused(error, 500);
    },
    async invalidRequestWasReceived({ error }) {
      refused(error, 400);
    },
  };
}

function endSpan(span: Span, failed: boolean): void {
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function codeLabel(code: string): string {
  return ERROR_CODE.test(code) ? code : 'OTHER';
}
