import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

export const OPERATION_NOT_IN_SAFELIST = 'OPERATION_NOT_IN_SAFELIST';

/** The published operations, by the sha256 (hex) of their text, as graphql-codegen's client preset writes them. */
export type PersistedDocuments = ReadonlyMap<string, string>;

const SHA256_PREFIX = 'sha256:';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads `persisted-documents.json` (`npm run codegen`: the client preset's `persistedDocuments`), refusing a file
 * that is not one or whose hashes do not match their documents.
 */
export function loadPersistedDocuments(path: string): PersistedDocuments {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`The persisted documents ${path} cannot be read (generate them with \`npm run codegen\`): ${String(error)}`);
  }
  const entries = Object.entries(JSON.parse(text) as Record<string, unknown>);
  const documents = new Map<string, string>();
  for (const [key, body] of entries) {
    const hash = key.startsWith(SHA256_PREFIX) ? key.slice(SHA256_PREFIX.length) : key;
    if (typeof body !== 'string' || hash !== sha256(body)) {
      throw new Error(`${path}: the document ${key} does not match its sha256 hash; regenerate it with \`npm run codegen\`.`);
    }
    documents.set(hash, body);
  }
  return documents;
}

/**
 * An operation as codegen prints it for its persisted documents: the operation and the fragments it uses, in
 * graphql-tools' canonical print. Formatting, comments and unused definitions around it do not change it.
 */
export function canonicalOperation(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread({ name: { value } }) {
        const fragment = fragments.get(value);
        if (!fragment || used.has(value)) return;
        used.set(value, fragment);
        collect(fragment);
      },
    });
  collect(operation);
  return printExecutableGraphQLDocument({ kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] });
}

/**
 * Safelist mode: only the published operations run. A client may send an operation's text (any formatting) or,
 * as trusted documents, only its hash in `extensions.persistedQuery.sha256Hash` without any text. Anything else is
 * refused with OPERATION_NOT_IN_SAFELIST (400) after validation, before any subgraph is called.
 *
 * Automatic persisted queries (APQ) work as usual on top: a registration is only stored once the operation
 * has passed this check.
 */
export function operationSafelist(documents: PersistedDocuments): ApolloServerPlugin {
  // Apollo keeps parsed documents by query hash, so a repeated operation is the same node: checked once.
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();
  const isListed = (document: DocumentNode, operation: OperationDefinitionNode): boolean => {
    let listed = verdicts.get(operation);
    if (listed === undefined) {
      listed = documents.has(sha256(canonicalOperation(document, operation)));
      verdicts.set(operation, listed);
    }
    return listed;
  };

  return {
    async requestDidStart({ request }) {
      supplyDocumentText(request, documents);
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
 * Outside safelist mode, the persisted documents are still known by hash (trusted documents): a client such as the
 * web app sends the hash alone and needs no registration round trip; any other operation runs as usual.
 */
export function trustedDocuments(documents: PersistedDocuments): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      supplyDocumentText(request, documents);
    },
  };
}

/**
 * A hash-only request for a persisted document: supply its text, which Apollo then checks against the hash, runs, and
 * keeps in its APQ cache.
 */
function supplyDocumentText(request: { query?: string; extensions?: Record<string, unknown> }, documents: PersistedDocuments): void {
  const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  if (request.query === undefined && typeof hash === 'string') request.query = documents.get(hash);
}
