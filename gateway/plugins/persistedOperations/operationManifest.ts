import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

/** One operation clients may send: its printed document (the operation and the fragments it uses). */
export interface ManifestOperation {
  name: string;
  /** sha256 of `body`, hex: what a client sends as `extensions.persistedQuery.sha256Hash`. */
  hash: string;
  body: string;
}

export interface OperationManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

export const MANIFEST_FORMAT = 'quartier-commun-operations';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * An operation in a canonical text: the operation, then the fragments it uses (directly or through other
 * fragments) by name, printed by graphql-js. Whitespace, comments, the order of fragments and unused
 * definitions around it do not change it; any change to what is selected does.
 */
export function normalisedOperation(operation: OperationDefinitionNode, fragmentNamed: (name: string) => FragmentDefinitionNode | undefined): string {
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) => {
    visit(node, {
      FragmentSpread({ name: { value } }) {
        const fragment = fragmentNamed(value);
        if (!fragment || used.has(value)) return;
        used.set(value, fragment);
        collect(fragment);
      },
    });
  };
  collect(operation);
  const fragments = [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  return print(document);
}

/** Builds the manifest from operation documents (e.g. schema/operations/*.graphql), which may share fragments. */
export function buildOperationManifest(sources: { name: string; text: string }[]): OperationManifest {
  const operations = new Map<string, OperationDefinitionNode>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const source of sources) {
    for (const definition of parse(source.text).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        const name = definition.name?.value;
        if (name === undefined) throw new Error(`${source.name}: every operation needs a name; clients and logs refer to it.`);
        if (operations.has(name)) throw new Error(`${source.name}: the operation name ${name} is used twice.`);
        operations.set(name, definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        if (fragments.has(name)) throw new Error(`${source.name}: the fragment name ${name} is used twice.`);
        fragments.set(name, definition);
      }
    }
  }
  const entries = [...operations].map(([name, operation]) => {
    const body = normalisedOperation(operation, (fragment) => fragments.get(fragment));
    return { name, hash: sha256(body), body };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return { format: MANIFEST_FORMAT, version: 1, operations: entries };
}

/**
 * The manifest hash of a document holding one operation (and its fragments), in whatever text form: what a
 * persisted-document client sends for it, the same value `buildOperationManifest` lists it under.
 */
export function manifestHashOfDocument(text: string): string {
  const [entry, ...others] = buildOperationManifest([{ name: 'document', text }]).operations;
  if (entry === undefined || others.length > 0) throw new Error('A persisted document holds exactly one operation.');
  return entry.hash;
}

/** Reads a manifest, refusing one that is malformed or whose hashes do not match their bodies. */
export function loadOperationManifest(path: string): OperationManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`The operation manifest ${path} cannot be read (generate it with \`npm run operations:manifest\`): ${String(error)}`);
  }
  const manifest = JSON.parse(text) as Partial<OperationManifest>;
  if (manifest.format !== MANIFEST_FORMAT || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`${path} is not an operation manifest (format ${MANIFEST_FORMAT}, version 1).`);
  }
  for (const operation of manifest.operations) {
    if (typeof operation?.body !== 'string' || operation.hash !== sha256(operation.body)) {
      throw new Error(`${path}: the entry for ${String(operation?.name)} has a hash that does not match its body; regenerate the manifest.`);
    }
  }
  return manifest as OperationManifest;
}
