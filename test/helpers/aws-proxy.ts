/**
 * A local HTTP proxy in front of moto, on 127.0.0.1: it adds latency to every call (the bench's
 * 50 ms) and answers chosen calls with faults moto cannot produce (throttling, 5xx, a hang, a body
 * that is not JSON), so that the real SDK clients' retry and timeout paths run.
 */
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call as the proxy sees it. */
export interface ProxiedCall {
  method: string;
  path: string;
  /** `x-moto-account-id`, when the client sends one. */
  account: string | undefined;
  /** The API operation: `Action=` of query APIs, `X-Amz-Target` of JSON APIs, else method and path. */
  operation: string;
}

/** A canned answer instead of moto's. `hang` never answers. */
export type FaultAnswer =
  | { status: number; body: string; headers?: Record<string, string> }
  | 'hang';

/** Answers calls that `match`, `times` times (default: always). */
export interface FaultRule {
  match: (call: ProxiedCall) => boolean;
  answer: FaultAnswer;
  times?: number;
}

/** A running proxy. */
export interface AwsProxy {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Every call received, in order. */
  calls: ProxiedCall[];
  faults: FaultRule[];
  close: () => Promise<void>;
}

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  if (action) return action;
  return `${req.method} ${(req.url ?? '').split('?')[0]}`;
}

/**
 * Starts a proxy to `target` (moto's URL) that waits `latencyMs` before each call.
 *
 * @example const proxy = await startAwsProxy(inject('motoEndpoint'), { latencyMs: 50 });
 */
export async function startAwsProxy(
  target: string,
  options: { latencyMs?: number; faults?: FaultRule[] } = {},
): Promise<AwsProxy> {
  const to = new URL(target);
  const calls: ProxiedCall[] = [];
  const faults = options.faults ?? [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const account = req.headers['x-moto-account-id'];
    const call: ProxiedCall = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      account: typeof account === 'string' ? account : undefined,
      operation: operationOf(req, body.toString('utf8')),
    };
    calls.push(call);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const rule = faults.find((f) => (f.times === undefined || f.times > 0) && f.match(call));
    if (rule) {
      if (rule.times !== undefined) rule.times--;
      if (rule.answer === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(rule.answer.status, rule.answer.headers ?? {});
      res.end(rule.answer.body);
      return;
    }
    const upstream = httpRequest(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
      },
      (up) => {
        // Hop-by-hop headers stay on moto's side: its `Connection: close` would otherwise make
        // clients open a new connection per call, which AWS endpoints do not ask for.
        const { connection: _c, 'keep-alive': _k, ...headers } = up.headers;
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    upstream.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    faults,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A JSON API's throttling answer (EKS, Organizations): HTTP 429 `ThrottlingException`. */
export const THROTTLED_JSON: FaultAnswer = {
  status: 429,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' },
  body: JSON.stringify({ message: 'Rate exceeded' }),
};

/** A query API's throttling answer (IAM, STS): HTTP 400 `Throttling`. */
export const THROTTLED_XML: FaultAnswer = {
  status: 400,
  headers: { 'content-type': 'text/xml' },
  body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>',
};
