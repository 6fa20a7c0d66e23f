import type { FastifyRequest } from 'fastify';
import { badUserInput } from '../core/errors';
import { requestUrl } from './plugins/common';

/**
 * The query parameters a route takes; any other is refused with 400 BAD_USER_INPUT naming it and
 * the allowed ones. Ignored, a mistyped filter (customerCountry for customerCountries) answers the
 * whole data set with 200. A route's `preValidation` hook: after authentication (onRequest), before
 * its schema, so the unknown name is reported rather than what the schema thinks of the rest.
 */
export function onlyQueryParams(allowed: readonly string[]): (request: FastifyRequest) => Promise<void> {
  return async (request) => refuseUnknownParams(requestUrl(request).searchParams, allowed);
}

export function refuseUnknownParams(params: URLSearchParams, allowed: readonly string[]): void {
  const unknown = [...new Set(params.keys())].filter((name) => !allowed.includes(name));
  if (!unknown.length) return;
  const takes = allowed.length ? `it takes: ${allowed.join(', ')}` : 'it takes none';
  throw badUserInput(
    `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')}; ${takes}`,
    unknown[0],
    { unknownParameters: unknown, allowedParameters: [...allowed] },
  );
}
