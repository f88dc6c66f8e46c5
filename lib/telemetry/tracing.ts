import { trace, type Tracer } from '@opentelemetry/api';
import { ConfigError, nonEmpty } from '../config/envVariables';

/** A started tracer provider; `shutdown` sends the spans still queued, then stops it. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;
export type TraceExporterName = (typeof EXPORTERS)[number];

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
 * gateway's own, ours) is a no-op that records nothing, and the SDK is not even loaded.
 */
export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  const exporter = traceExporterFromEnv(env);
  if (exporter === 'none') return undefined;
  const { startTracerProvider } = await import('./tracerProvider');
  return startTracerProvider(service, exporter);
}

let started = false;

/** Whether this process traces: instrumentation that costs something even when its spans go nowhere asks first. */
export function tracingStarted(): boolean {
  return started;
}

/** Called by the tracer provider once it is registered for the process. */
export function markTracingStarted(): void {
  started = true;
}

/** The tracer a part of the graph starts its spans with, named for it (a service, or `mongodb`). */
export function tracerOf(name: string): Tracer {
  return trace.getTracer(`quartier-commun/${name}`);
}
