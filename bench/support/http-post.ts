import { Agent, request } from 'node:http';

/** A response of the benchmark clients: status and body text. */
export interface Reply {
  status: number;
  text: string;
}

/**
 * POSTs a GraphQL request body over a keep-alive agent; the benchmark workers share it. With
 * `timeoutMs`, a request without an answer by then fails ("no answer within ... ms").
 */
export function post(url: URL, agent: Agent, bearer: string, body: string, timeoutMs?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${bearer}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
