import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

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
