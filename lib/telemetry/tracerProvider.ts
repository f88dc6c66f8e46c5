import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { nonEmpty } from '../config/envVariables';
import { markTracingStarted, type TraceExporterName, type Tracing } from './tracing';

// OpenTelemetry's SDK, loaded only by a process that traces (see startTracing).

/**
 * The provider carries the service's name, propagates W3C `traceparent`, samples as `OTEL_TRACES_SAMPLER` says, and
 * batches spans to the exporter, which reads its endpoint, headers and timeout from the OTEL_EXPORTER_OTLP_* variables
 * itself.
 */
export function startTracerProvider(service: string, exporter: Exclude<TraceExporterName, 'none'>): Tracing {
  return registerTracerProvider(service, new BatchSpanProcessor(exporter === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter()));
}

/** Registers a tracer provider for the whole process with `processor` (the tests use an in-memory exporter). */
export function registerTracerProvider(service: string, processor: SpanProcessor): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: nonEmpty(process.env.OTEL_SERVICE_NAME) ?? service }),
    spanProcessors: [processor],
  });
  provider.register();
  markTracingStarted();
  return { shutdown: () => provider.shutdown() };
}
