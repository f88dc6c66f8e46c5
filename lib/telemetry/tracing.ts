import { trace, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ConfigError, nonEmpty } from '../config/envVariables';

/** A started tracer provider; `shutdown` sends the spans still queued, then stops it. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;
type TraceExporterName = (typeof EXPORTERS)[number];

/**
 * Where spans go, from OpenTelemetry's standard variables: `OTEL_TRACES_EXPORTER` (`otlp`, `console` or `none`), else
 * `otlp` when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, else nowhere: tracing is off.
 * `OTEL_SDK_DISABLED=true` turns it off whatever else is set.
 */
export function traceExporterFromEnv(env: NodeJS.ProcessEnv): TraceExporterName {
  if (nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true') return 'none';
  const named = nonEmpty(env.OTEL_TRACES_EXPORTER)?.toLowerCase();
  if (named !== undefined) {
    if (!(EXPORTERS as readonly string[]).includes(named)) {
      throw new ConfigError(`OTEL_TRACES_EXPORTER must be one of ${EXPORTERS.join(', ')}, not "${named}".`);
    }
    return named as TraceExporterName;
  }
  return nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ? 'otlp' : 'none';
}

/**
 * Starts OpenTelemetry's tracer provider for this process when the environment asks for an exporter (see
 * traceExporterFromEnv), and nothing otherwise: without a provider, every span started through the API (the
 * gateway's own, ours) is a no-op that records nothing. The provider carries the service's name, propagates W3C
 * `traceparent`, samples as `OTEL_TRACES_SAMPLER` says, and batches spans to the exporter, which reads its endpoint,
 * headers and timeout from the OTEL_EXPORTER_OTLP_* variables itself.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const exporter = traceExporterFromEnv(env);
  if (exporter === 'none') return undefined;
  return registerTracerProvider(service, new BatchSpanProcessor(exporter === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter()));
}

let started = false;

/** Whether this process traces: instrumentation that costs something even when its spans go nowhere asks first. */
export function tracingStarted(): boolean {
  return started;
}

/** Registers a tracer provider for the whole process with `processor` (the tests use an in-memory exporter). */
export function registerTracerProvider(service: string, processor: SpanProcessor): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: nonEmpty(process.env.OTEL_SERVICE_NAME) ?? service }),
    spanProcessors: [processor],
  });
  provider.register();
  started = true;
  return { shutdown: () => provider.shutdown() };
}

/** The tracer a part of the graph starts its spans with, named for it (a service, or `mongodb`). */
export function tracerOf(name: string): Tracer {
  return trace.getTracer(`quartier-commun/${name}`);
}
