import { badUserInput } from '../../core/errors';
import { LIST_MAX } from '../../warehouse/insights/lists';

/** The `first` argument of a list, checked: 1 to LIST_MAX. */
export function listSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > LIST_MAX) throw badUserInput(`first must be between 1 and ${LIST_MAX} (got ${first})`, 'first');
  return first;
}
