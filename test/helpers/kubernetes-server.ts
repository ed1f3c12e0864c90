/**
 * A local Kubernetes API server for tests and the bench: one HTTPS server on 127.0.0.1 (a free
 * port, the test CA's certificate) that answers the 14 cluster-wide list endpoints of
 * {@link KUBERNETES_LISTS} as kube-apiserver does, from the objects it is given (see
 * `kubernetes-estate.ts`).
 *
 * - A list answer is `{kind: '<Kind>List', apiVersion, metadata: {resourceVersion, continue?,
 *   remainingItemCount?}, items}`; as on a real server the items carry no `kind`/`apiVersion`
 *   (stripped if the objects have them), and keep `metadata.managedFields` and every annotation.
 * - Paging: `limit` gives at most that many items and an opaque `continue` token (base64url JSON)
 *   while more remain; a token is only good for the list that issued it (400 otherwise). No
 *   `limit` (or `limit=0`): everything.
 * - Every request needs `Authorization: Bearer <token>` with a token the server accepts (401
 *   `Unauthorized` Status otherwise). Any other path is 404 (`NotFound` Status), any other method
 *   405; secrets (`/api/v1/secrets`, `/api/v1/namespaces/<ns>/secrets`) are 403 and tests assert
 *   there are none ({@link KubernetesServer.secretRequests}). `labelSelector`, `fieldSelector`
 *   and `watch=true` are not served (400), so a collector that filters fails loudly here.
 *
 * Every request is recorded (method, path, query, whether its token was accepted, the status;
 * never the token). Faults per kind, at start or while it runs: 403 Forbidden with
 * kube-apiserver's message, never answered (the connection stays open until close), 410 Expired
 * on the first continued request (once per kind, with a fresh token), 500. Accepted tokens and
 * objects can be changed while it runs (a rotated token, an object that appears between pages).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzip } from 'node:zlib';
import type { KubernetesKind } from '../../functions/collect/kubernetes/kinds.ts';
import { testCa } from './test-ca.ts';

/** The kinds the server lists: those the collector reads. */
export type { KubernetesKind };

/** Where a kind is listed cluster-wide and what its list is called. */
export interface KubernetesList {
  /** The cluster-wide list path, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  /** `<group>/<version>`, or `v1` for the core group. */
  apiVersion: string;
  /** e.g. `DeploymentList`. */
  listKind: string;
  /** The API group (`''` for core). */
  group: string;
  /** The resource (plural), e.g. `deployments`. */
  resource: string;
}

const list = (group: string, resource: string, kind: string): KubernetesList => ({
  path: group === '' ? `/api/v1/${resource}` : `/apis/${group}/v1/${resource}`,
  apiVersion: group === '' ? 'v1' : `${group}/v1`,
  listKind: `${kind}List`,
  group,
  resource,
});

const RBAC = 'rbac.authorization.k8s.io';

/** The 14 cluster-wide lists the server answers. */
export const KUBERNETES_LISTS: Readonly<Record<KubernetesKind, KubernetesList>> = {
  Namespace: list('', 'namespaces', 'Namespace'),
  ServiceAccount: list('', 'serviceaccounts', 'ServiceAccount'),
  Pod: list('', 'pods', 'Pod'),
  Role: list(RBAC, 'roles', 'Role'),
  ClusterRole: list(RBAC, 'clusterroles', 'ClusterRole'),
  RoleBinding: list(RBAC, 'rolebindings', 'RoleBinding'),
  ClusterRoleBinding: list(RBAC, 'clusterrolebindings', 'ClusterRoleBinding'),
  NetworkPolicy: list('networking.k8s.io', 'networkpolicies', 'NetworkPolicy'),
  Deployment: list('apps', 'deployments', 'Deployment'),
  StatefulSet: list('apps', 'statefulsets', 'StatefulSet'),
  DaemonSet: list('apps', 'daemonsets', 'DaemonSet'),
  ReplicaSet: list('apps', 'replicasets', 'ReplicaSet'),
  Job: list('batch', 'jobs', 'Job'),
  CronJob: list('batch', 'cronjobs', 'CronJob'),
};

/** Every kind, in the order of {@link KUBERNETES_LISTS}. */
export const KUBERNETES_KINDS = Object.keys(KUBERNETES_LISTS) as KubernetesKind[];

const KIND_BY_PATH = new Map(KUBERNETES_KINDS.map((k) => [KUBERNETES_LISTS[k].path, k]));

/** The objects of an estate, by kind (a kind not given lists no items). */
export type KubernetesObjects = Partial<Record<KubernetesKind, readonly object[]>>;

/** Failures the server answers instead of a list, by kind. */
export interface KubernetesFaults {
  /** 403 Forbidden (the user may not list the resource at the cluster scope). */
  forbidden?: KubernetesKind[];
  /** Never answered; the connection stays open until the server closes. */
  hang?: KubernetesKind[];
  /** The first request of the kind that carries a `continue` token is answered 410 Expired. */
  expireContinue?: KubernetesKind[];
  /** 500 InternalError. */
  status500?: KubernetesKind[];
}

/** How the server behaves. */
export interface KubernetesServerOptions {
  objects: KubernetesObjects;
  /** The bearer tokens it accepts. */
  tokens: string[];
  /**
   * Also accepts a token this returns true for: one made elsewhere at run time (a Google access
   * token the GCP test server issued, a self-signed service-account JWT it verifies), as a GKE
   * API server accepts the Google tokens of its project.
   */
  accepts?: (token: string) => boolean;
  /** Every answer is this much later, in ms (the bench: 20). */
  latencyMs?: number;
  faults?: KubernetesFaults;
  /** The user named in 403 messages; default `system:serviceaccount:pci-posture:scanner`. */
  user?: string;
  /**
   * Gzip answers over 128 KiB when the client accepts gzip, as kube-apiserver does (level 1,
   * feature APIResponseCompression); default off.
   */
  compress?: boolean;
}

/** One request the server received. */
export interface KubernetesRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The kind its path lists, if any. */
  kind?: KubernetesKind;
  /** It carried a bearer token the server accepts. */
  authorized: boolean;
  /** The status answered; 0 while unanswered (a `hang` fault). */
  status: number;
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** A running server. */
export interface KubernetesServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The CA certificate (PEM) that signed the server's certificate. */
  ca: string;
  /** The same, base64 (kubeconfig `certificate-authority-data`). */
  caData: string;
  requests: KubernetesRequest[];
  /** Requests for secrets (should be none). */
  secretRequests(): KubernetesRequest[];
  /** Replaces every fault (and forgets which kinds already expired a continue token). */
  setFaults(faults: KubernetesFaults): void;
  /** From now on only these tokens are accepted. */
  setTokens(tokens: string[]): void;
  /** Replaces the objects of the kinds given (the others stay) and bumps the resourceVersion. */
  setObjects(objects: KubernetesObjects): void;
  /** Closes the server and every connection (hung ones too). */
  close(): Promise<void>;
}

/** What a continue token holds (base64url JSON). */
interface ContinueToken {
  kind: KubernetesKind;
  offset: number;
  rv: string;
  issued: number;
}

const EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

const SECRETS = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?secrets(?:\/([^/]+))?\/?$/;

/** A kind's objects and, filled on first read, each one's JSON without `kind`/`apiVersion`. */
interface Stored {
  items: readonly object[];
  json: (string | undefined)[];
}

function itemJson(item: object): string {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = item as Record<string, unknown>;
  return JSON.stringify(rest);
}

function maxResourceVersion(objects: KubernetesObjects): number {
  let max = 0;
  for (const items of Object.values(objects)) {
    for (const item of items ?? []) {
      const rv = Number(
        (item as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion,
      );
      if (Number.isSafeInteger(rv) && rv > max) max = rv;
    }
  }
  return max;
}

const encodeToken = (t: ContinueToken) => Buffer.from(JSON.stringify(t)).toString('base64url');

function decodeToken(text: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (
      typeof t.kind === 'string' &&
      t.kind in KUBERNETES_LISTS &&
      Number.isSafeInteger(t.offset) &&
      (t.offset ?? -1) >= 0 &&
      typeof t.rv === 'string' &&
      typeof t.issued === 'number'
    ) {
      return t as ContinueToken;
    }
  } catch {
    // not a token
  }
  return undefined;
}

/**
 * Starts the server on 127.0.0.1 on a free port.
 *
 * @example
 * const k8s = await startKubernetesServer({ objects: paymentsEstate(), tokens: ['t0ken'] });
 * // kubeconfig: server: k8s.url, certificate-authority-data: k8s.caData, token: t0ken
 * await k8s.close();
 */
export async function startKubernetesServer(
  options: KubernetesServerOptions,
): Promise<KubernetesServer> {
  const user = options.user ?? 'system:serviceaccount:pci-posture:scanner';
  const latencyMs = options.latencyMs ?? 0;
  let tokens = new Set(options.tokens);
  let faults: KubernetesFaults = options.faults ?? {};
  let expired = new Set<KubernetesKind>();
  const stored = new Map<KubernetesKind, Stored>();
  const store = (objects: KubernetesObjects) => {
    for (const [kind, items] of Object.entries(objects) as [KubernetesKind, object[]][]) {
      stored.set(kind, { items, json: new Array(items.length) });
    }
  };
  store(options.objects);
  let resourceVersion = Math.max(1000, maxResourceVersion(options.objects) + 1);
  const requests: KubernetesRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const { ca, cert, key } = testCa();
  const accepted = (token: string) => tokens.has(token) || options.accepts?.(token) === true;

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    record: KubernetesRequest,
    status: number,
    text: string,
  ) => {
    record.status = status;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'audit-id': randomUUID(),
    };
    const write = (body: Buffer | string) => {
      headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(status, headers);
      res.end(body);
    };
    if (
      options.compress &&
      text.length > 128 * 1024 &&
      /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    ) {
      headers['content-encoding'] = 'gzip';
      gzip(text, { level: 1 }, (err, zipped) => {
        if (err) res.destroy(err);
        else write(zipped);
      });
    } else write(text);
  };

  const status = (
    req: IncomingMessage,
    res: ServerResponse,
    record: KubernetesRequest,
    code: number,
    reason: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) => {
    const { metadata, ...rest } = extra;
    send(
      req,
      res,
      record,
      code,
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: metadata ?? {},
        status: 'Failure',
        message,
        reason,
        ...rest,
        code,
      }),
    );
  };

  const forbidden = (
    req: IncomingMessage,
    res: ServerResponse,
    record: KubernetesRequest,
    group: string,
    resource: string,
    verb: string,
    namespace?: string,
  ) => {
    const qualified = group === '' ? resource : `${resource}.${group}`;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    status(
      req,
      res,
      record,
      403,
      'Forbidden',
      `${qualified} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`,
      { details: { ...(group === '' ? {} : { group }), kind: resource } },
    );
  };

  const listPage = (
    req: IncomingMessage,
    res: ServerResponse,
    record: KubernetesRequest,
    kind: KubernetesKind,
    query: Record<string, string>,
  ) => {
    const spec = KUBERNETES_LISTS[kind];
    for (const unsupported of ['labelSelector', 'fieldSelector']) {
      if (query[unsupported] !== undefined) {
        return status(
          req,
          res,
          record,
          400,
          'BadRequest',
          `test server: ${unsupported} is not served`,
        );
      }
    }
    if (query.watch !== undefined && query.watch !== 'false' && query.watch !== '0') {
      return status(req, res, record, 400, 'BadRequest', 'test server: watch is not served');
    }
    let limit = 0;
    if (query.limit !== undefined) {
      limit = Number(query.limit);
      if (!/^-?\d+$/.test(query.limit) || !Number.isSafeInteger(limit)) {
        return status(
          req,
          res,
          record,
          400,
          'BadRequest',
          `strconv.ParseInt: parsing "${query.limit}": invalid syntax`,
        );
      }
      if (limit < 0) limit = 0;
    }
    let offset = 0;
    let rv = String(resourceVersion);
    if (query.continue !== undefined && query.continue !== '') {
      const token = decodeToken(query.continue);
      if (!token || token.kind !== kind) {
        return status(
          req,
          res,
          record,
          400,
          'BadRequest',
          token
            ? `continue key is not valid: key provided is not in the prefix of ${spec.resource}`
            : 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      if (faults.expireContinue?.includes(kind) && !expired.has(kind)) {
        expired.add(kind);
        const fresh = encodeToken({
          kind,
          offset: token.offset,
          rv: String(resourceVersion),
          issued: Date.now(),
        });
        return status(req, res, record, 410, 'Expired', EXPIRED_MESSAGE, {
          metadata: { continue: fresh },
        });
      }
      offset = token.offset;
      rv = token.rv;
    }
    const entry = stored.get(kind);
    const items = entry?.items ?? [];
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const parts: string[] = [];
    for (let i = offset; i < end; i++) {
      let json = entry!.json[i];
      if (json === undefined) {
        json = itemJson(items[i]!);
        entry!.json[i] = json;
      }
      parts.push(json);
    }
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (end < items.length) {
      metadata.continue = encodeToken({ kind, offset: end, rv, issued: Date.now() });
      metadata.remainingItemCount = items.length - end;
    }
    const head = JSON.stringify({
      kind: spec.listKind,
      apiVersion: spec.apiVersion,
      metadata,
    });
    send(req, res, record, 200, `${head.slice(0, -1)},"items":[${parts.join(',')}]}`);
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    record: KubernetesRequest,
    query: Record<string, string>,
  ) => {
    if (!record.authorized) {
      return status(req, res, record, 401, 'Unauthorized', 'Unauthorized');
    }
    const secret = SECRETS.exec(record.path);
    if (secret) {
      const verb = req.method !== 'GET' ? 'access' : secret[2] ? 'get' : 'list';
      return forbidden(req, res, record, '', 'secrets', verb, secret[1]);
    }
    const kind = record.kind;
    if (!kind) {
      return status(
        req,
        res,
        record,
        404,
        'NotFound',
        'the server could not find the requested resource',
        { details: {} },
      );
    }
    if (req.method !== 'GET') {
      return status(
        req,
        res,
        record,
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
        { details: {} },
      );
    }
    const spec = KUBERNETES_LISTS[kind];
    if (faults.forbidden?.includes(kind)) {
      return forbidden(req, res, record, spec.group, spec.resource, 'list');
    }
    if (faults.status500?.includes(kind)) {
      const cause = 'etcdserver: request timed out';
      return status(req, res, record, 500, 'InternalError', `Internal error occurred: ${cause}`, {
        details: { causes: [{ message: cause }] },
      });
    }
    listPage(req, res, record, kind, query);
  };

  const server = createServer({ cert, key }, (req, res) => {
    const u = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const kind = KIND_BY_PATH.get(u.pathname);
    const auth = req.headers.authorization ?? '';
    const record: KubernetesRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query,
      ...(kind ? { kind } : {}),
      authorized: auth.startsWith('Bearer ') && accepted(auth.slice('Bearer '.length)),
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    req.resume();
    if (kind && faults.hang?.includes(kind)) return; // never answered: close() ends the connection
    const go = () => {
      try {
        answer(req, res, record, query);
      } catch (err) {
        status(req, res, record, 500, 'InternalError', `test server bug: ${String(err)}`);
      }
    };
    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        go();
      }, latencyMs);
      timers.add(timer);
    } else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    ca,
    caData: Buffer.from(ca).toString('base64'),
    requests,
    secretRequests: () => requests.filter((r) => SECRETS.test(r.path)),
    setFaults: (next) => {
      faults = next;
      expired = new Set();
    },
    setTokens: (next) => {
      tokens = new Set(next);
    },
    setObjects: (objects) => {
      store(objects);
      resourceVersion = Math.max(resourceVersion + 1, maxResourceVersion(objects) + 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
