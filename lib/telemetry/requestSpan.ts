import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { tracingStarted } from './tracing';

/**
 * Writes the active span's W3C `traceparent` (and `tracestate`) into a request's headers, so that the service called
 * continues the trace (see inRequestSpan); nothing when no span is being recorded.
 */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, { set: (carrier, name, value) => carrier.set(name, value) });
}

/**
 * Runs `handle` inside a server span for one HTTP request, so that every span started while handling it (the
 * gateway's plan and fetches, a subgraph's resolvers, the database commands) joins its trace. `continueTrace`
 * continues the trace named in the request's W3C `traceparent` (a subgraph called by the gateway); otherwise the
 * request starts a trace of its own (the gateway: what a client says about traces is not trusted). The span ends
 * when the response is sent, with its status code. Without tracing, `handle` runs as it is.
 */
export function inRequestSpan<T>(
  tracer: Tracer,
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  continueTrace: boolean,
  handle: () => Promise<T>,
): Promise<T> {
  if (!tracingStarted()) return handle();
  const parent = continueTrace ? propagation.extract(ROOT_CONTEXT, request.headers) : ROOT_CONTEXT;
  const method = request.method ?? 'GET';
  const span = tracer.startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } },
    parent,
  );
  response.once('close', () => {
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handle);
}
