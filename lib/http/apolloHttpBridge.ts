import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';

export class InvalidJsonBodyError extends Error {}

/** node:http's request as Apollo wants it; a JSON body is parsed here since Apollo expects an object. */
export function toHTTPGraphQLRequest(request: IncomingMessage, search: string, body: Buffer | undefined): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    headers,
    search,
    body: isJson(headers.get('content-type')) ? parseJson(body) : undefined,
  };
}

export async function writeHTTPGraphQLResponse(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  // Incremental delivery (@defer): each part is flushed as soon as Apollo yields it.
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidJsonBodyError('The request body is not valid JSON.');
  }
}
