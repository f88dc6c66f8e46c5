import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { GraphQLScalarType } from 'graphql';

type Resolve = (...args: unknown[]) => unknown;

/**
 * The subgraph's resolvers, each of its own (those the resolver map names: root fields, entity references, fields
 * computed from the store) run inside a span `resolve <Type>.<field>`, made active so that the database commands it
 * sends are its children. Fields read straight off a document have no resolver here and no span. Used only when
 * tracing is on: otherwise the resolvers are served as they are.
 */
export function tracedResolvers<TContext>(resolvers: GraphQLResolverMap<TContext>, tracer: Tracer): GraphQLResolverMap<TContext> {
  const traced: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (fields instanceof GraphQLScalarType) {
      traced[typeName] = fields;
      continue;
    }
    traced[typeName] = Object.fromEntries(
      Object.entries(fields as Record<string, unknown>).map(([fieldName, resolver]) => {
        const name = `resolve ${typeName}.${fieldName}`;
        if (typeof resolver === 'function') return [fieldName, inSpan(tracer, name, resolver as Resolve)];
        if (isFieldConfig(resolver)) return [fieldName, { ...resolver, resolve: inSpan(tracer, name, resolver.resolve) }];
        return [fieldName, resolver];
      }),
    );
  }
  return traced as GraphQLResolverMap<TContext>;
}

function isFieldConfig(value: unknown): value is { resolve: Resolve } {
  return typeof value === 'object' && value !== null && typeof (value as { resolve?: unknown }).resolve === 'function';
}

function inSpan(tracer: Tracer, name: string, resolve: Resolve): Resolve {
  return function (this: unknown, ...args: unknown[]) {
    return tracer.startActiveSpan(name, (span) => {
      try {
        const result = resolve.apply(this, args);
        if (!(result instanceof Promise)) {
          span.end();
          return result;
        }
        return result.then(
          (value: unknown) => {
            span.end();
            return value;
          },
          (error: unknown) => fail(span, error),
        );
      } catch (error) {
        return fail(span, error);
      }
    });
  };
}

/** The error's message may name what was asked for: the span records only that the resolver failed. */
function fail(span: Span, error: unknown): never {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
  throw error;
}
