import { Kind, parse, visit } from 'graphql';

/** The subgraphs a composed supergraph is made of (`@join__graph(name: …)`). */
export function subgraphNamesOf(supergraphSdl: string): string[] {
  const names: string[] = [];
  visit(parse(supergraphSdl), {
    Directive(directive) {
      if (directive.name.value !== 'join__graph') return;
      const name = directive.arguments?.find((argument) => argument.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) names.push(name.value);
    },
  });
  return names;
}
