import { CriticalityLevel, DiffRule, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * Breaking changes of the client-facing schema that were not announced. A field or enum value may go only
 * after a release in which it was `@deprecated(reason: …)`; any other breaking change is refused.
 */
export async function unannouncedBreakingChanges(releasedSdl: string, currentSdl: string): Promise<string[]> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl), [DiffRule.suppressRemovalOfDeprecatedField]);
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => `${change.path ?? change.type}: ${change.message}`);
}
