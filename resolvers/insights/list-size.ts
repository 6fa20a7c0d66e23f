import { badUserInput } from '../../core/errors';
import { LIST_MAX } from '../../warehouse/insights/lists';

/** A whole-number argument from `min` to `max`, or BAD_USER_INPUT naming it and the range. */
export function wholeNumberBetween(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badUserInput(`${argument} must be between ${min} and ${max} (got ${value})`, argument);
  return value;
}

/** The `first` argument of a list, checked: 1 to LIST_MAX. */
export function listSize(first: number): number {
  return wholeNumberBetween(first, 'first', 1, LIST_MAX);
}
