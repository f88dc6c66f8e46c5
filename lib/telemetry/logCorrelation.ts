import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The ids of the span active where a log line is written (`trace_id`, `span_id`, as OpenTelemetry's log data model
 * names them), so that a line leads to its trace; nothing when tracing is off or no request is being traced.
 */
export function traceIdsOfActiveSpan(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
