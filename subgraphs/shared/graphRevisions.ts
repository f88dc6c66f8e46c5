import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Tracer } from '@opentelemetry/api';
import { OperationTypeNode } from 'graphql';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { readSignature, SUBGRAPH_SIGNATURE_HEADER, type SubgraphSigning, verifySignedRequest } from '../../lib/auth/subgraphSignature';
import { inRequestSpan } from '../../lib/telemetry/requestSpan';
import { COLLECTIONS } from './mongo';

/**
 * Each subgraph's revision: a random token in `graphRevisions`, one document per subgraph, made new after each
 * mutation the subgraph serves and before its response leaves. The gateway's response cache
 * (gateway/plugins/responseCache) reads the tokens before it serves a stored answer, and serves it only if the tokens
 * of the subgraphs it was read from are still those it was stored with: so no write through the graph, whichever
 * gateway host or worker it went through, is followed by an answer from before it. All subgraphs share the database,
 * so each serves every subgraph's tokens (`GET /revisions`, signed by the gateway as every request is).
 */
export type GraphRevisions = Readonly<Record<string, string>>;

export const REVISIONS_PATH = '/revisions';

/** What the gateway signs for `GET /revisions`: no GraphQL body can be this, so the signature is good for nothing else. */
export const REVISIONS_SIGNED_BODY = `GET ${REVISIONS_PATH}`;

interface RevisionDocument {
  _id: string;
  token: string;
}

export async function reviseSubgraph(db: Db, subgraph: string): Promise<void> {
  await db
    .collection<RevisionDocument>(COLLECTIONS.graphRevisions)
    .updateOne({ _id: subgraph }, { $set: { token: randomUUID() } }, { upsert: true });
}

export async function readRevisions(db: Db): Promise<GraphRevisions> {
  const documents = await db.collection<RevisionDocument>(COLLECTIONS.graphRevisions).find({}).toArray();
  return Object.fromEntries(documents.map((document) => [document._id, document.token]));
}

/**
 * Revises `subgraph` after each mutation, failed ones included (a failed mutation may have written part of its
 * work), before the response is written. A revision that cannot be written (the database gone) is logged: answers
 * cached before the write then last until the cache's time to live, as for a write made past the graph.
 */
export function revisionAfterMutations(db: Db, subgraph: string, logger: Logger): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: async ({ operation }) => {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          await reviseSubgraph(db, subgraph).catch((error: unknown) =>
            logger.error({ err: error }, `the ${subgraph} revision was not written after a mutation; cached answers may lag`),
          );
        },
      }),
  };
}

/**
 * Serves `GET /revisions` to the gateway: every subgraph's token, signed requests only; in a span of the trace of the
 * gateway request that reads them (`tracer`: the subgraph's).
 */
export function revisionsRoute(db: Db, signing: SubgraphSigning, tracer: Tracer) {
  return async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> => {
    if (pathname !== REVISIONS_PATH || request.method !== 'GET') return false;
    return inRequestSpan(tracer, request, response, REVISIONS_PATH, true, async () => {
      const signature = readSignature(request.headers[SUBGRAPH_SIGNATURE_HEADER]);
      verifySignedRequest(signing, signature, { body: REVISIONS_SIGNED_BODY, authorization: request.headers.authorization });
      const body = JSON.stringify({ revisions: await readRevisions(db) });
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(body);
      return true;
    });
  };
}
