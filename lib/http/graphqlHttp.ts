import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

// GraphQL over node:http: the request body read within its limits and handed to Apollo as it expects it,
// Apollo's answer written back, and the JSON answers given before Apollo sees a request.

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Buffers a request body, giving up as soon as it exceeds `maxBytes` (declared or streamed), so an
 * oversized upload never sits in memory. Once over the limit the rest is read and discarded rather than
 * the socket destroyed: the client must still be able to read our 413.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declaredLength = Number(request.headers['content-length']);
  if (declaredLength > maxBytes) {
    request.resume();
    return Promise.reject(new BodyTooLargeError(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const stopListening = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBytes) {
        stopListening();
        request.resume();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stopListening();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stopListening();
      reject(error);
    };
    const onClose = () => onError(new Error('The client closed the connection before sending the whole body.'));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

export class BatchTooLargeError extends Error {
  constructor(
    readonly maxBatchSize: number,
    readonly batchSize: number,
  ) {
    super(`The request batches ${batchSize} operations; at most ${maxBatchSize} are allowed in one request.`);
    this.name = 'BatchTooLargeError';
  }
}

/**
 * A JSON array body is a batch of operations (when Apollo's `allowBatchedHttpRequests` is on). Each runs
 * as a request of its own, so a batch multiplies the work one HTTP request can ask for; this bounds it.
 */
export function refuseOversizedBatch(body: unknown, maxBatchSize: number): void {
  if (Array.isArray(body) && body.length > maxBatchSize) throw new BatchTooLargeError(maxBatchSize, body.length);
}

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

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Transport failures answered before Apollo sees the request keep the shape clients already parse. */
export function sendGraphQLError(
  response: ServerResponse,
  status: number,
  message: string,
  extensions: { code: string; requestId?: string },
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(response, status, { errors: [{ message, extensions }] }, headers);
}
