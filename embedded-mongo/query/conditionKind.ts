import { isObject } from 'mingo/util';

/**
 * How MongoDB reads the condition on one field of a filter: `{ $gt: 1 }` holds operators, while a
 * value without `$` keys (`5`, `{ city: 'Lyon' }`) must be equal. Mixing both is malformed.
 */
export function conditionKind(condition: unknown): 'operators' | 'equality' | 'malformed' {
  if (!isObject(condition)) return 'equality';
  const keys = Object.keys(condition);
  const operatorCount = keys.filter((key) => key.startsWith('$')).length;
  if (operatorCount === 0) return 'equality';
  return operatorCount === keys.length ? 'operators' : 'malformed';
}
