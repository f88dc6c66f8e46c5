/** An entity another subgraph owns, as this subgraph knows it: its key alone. */
export interface EntityReference {
  id: string;
}

export function reference(id: string): EntityReference {
  return { id };
}
