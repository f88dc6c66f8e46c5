import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { normalisedOperation, sha256, type OperationManifest } from './operationManifest';

export { loadOperationManifest, type OperationManifest } from './operationManifest';

export const OPERATION_NOT_IN_SAFELIST = 'OPERATION_NOT_IN_SAFELIST';

/**
 * Safelist mode: only the operations of the manifest run. A client may send an operation's text (any
 * formatting: it is compared in its normalised form) or, as trusted documents, only the manifest hash in
 * `extensions.persistedQuery.sha256Hash` without any text. Anything else is refused with
 * OPERATION_NOT_IN_SAFELIST (400) after validation, before any subgraph is called.
 *
 * Automatic persisted queries (APQ) work as usual on top: a registration is only stored once the operation
 * has passed this check.
 */
export function operationSafelist(manifest: OperationManifest): ApolloServerPlugin<BaseContext> {
  const bodies = manifestBodies(manifest);
  // Apollo keeps parsed documents by query hash, so a repeated operation is the same node: checked once.
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();

  const isListed = (document: DocumentNode, operation: OperationDefinitionNode): boolean => {
    let listed = verdicts.get(operation);
    if (listed === undefined) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      listed = bodies.has(sha256(normalisedOperation(operation, (name) => fragments.get(name))));
      verdicts.set(operation, listed);
    }
    return listed;
  };

  return {
    async requestDidStart({ request }) {
      supplyManifestText(request, bodies);
      return {
        async didResolveOperation({ document, operation }) {
          if (operation && !isListed(document, operation)) {
            throw new GraphQLError('This operation is not in the safelist: this graph only runs the operations it publishes.', {
              extensions: { code: OPERATION_NOT_IN_SAFELIST, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * Outside safelist mode, the manifest's operations are still known by hash (trusted documents): a client such as the
 * web app sends the hash alone and needs no registration round trip; any other operation runs as usual.
 */
export function trustedDocuments(manifest: OperationManifest): ApolloServerPlugin<BaseContext> {
  const bodies = manifestBodies(manifest);
  return {
    async requestDidStart({ request }) {
      supplyManifestText(request, bodies);
    },
  };
}

function manifestBodies(manifest: OperationManifest): Map<string, string> {
  return new Map(manifest.operations.map((operation) => [operation.hash, operation.body]));
}

/**
 * A hash-only request for a manifest operation: supply its text, which Apollo then checks against the hash, runs, and
 * keeps in its APQ cache.
 */
function supplyManifestText(request: { query?: string; extensions?: Record<string, any> }, bodies: Map<string, string>): void {
  const hash: unknown = request.extensions?.persistedQuery?.sha256Hash;
  if (request.query === undefined && typeof hash === 'string') request.query = bodies.get(hash);
}
