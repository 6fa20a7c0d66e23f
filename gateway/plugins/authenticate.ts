import { authenticateRequest, type ApiKeyVerifier, type AuthConfig } from '../auth';
import { requestUrl, sharedPlugin } from './common';

/**
 * Authentication of routes with `config.auth`: a bearer JWT, or an API key where the route has
 * `config.acceptsApiKey`. Runs before the body is read; an AuthError becomes the 401 of the error
 * handler (plugins/errors.ts).
 */
export const authenticate = sharedPlugin<{ auth: AuthConfig; apiKeys?: ApiKeyVerifier }>('authenticate', async (app, { auth, apiKeys }) => {
  app.addHook('onRequest', async (request) => {
    const { config } = request.routeOptions;
    if (!config.auth) return;
    const { authorization } = request.headers;
    const apiKey = request.headers['x-api-key'];
    const { caller, viaApiKey } = await authenticateRequest(
      auth,
      { authorization, apiKey: Array.isArray(apiKey) ? apiKey.join(',') : apiKey },
      { path: requestUrl(request).pathname, acceptsApiKey: config.acceptsApiKey === true, apiKeys },
    );
    request.caller = caller;
    // A key is never forwarded: it is not a token the subgraphs could verify.
    if (!viaApiKey) request.authorization = authorization ?? null;
  });
});
