/**
 * A local stand-in for the Google APIs the GCP collector calls, on a free port of 127.0.0.1
 * (plain http): GKE `projects.locations.clusters.list` (as `@google-cloud/container` calls it in
 * REST mode: with `$alt=json;enum-encoding=int` it answers enums as numbers, as Google does), Resource Manager v3 `getIamPolicy`,
 * `projects.get`, `projects.list` and `folders.list` (paged), and the credential endpoints of workload identity
 * federation (STS token exchange, IAM Credentials `generateAccessToken`). It serves an estate
 * built from the real fixtures (test/fixtures/providers/gcp, see PROVENANCE.md) with faults per
 * project, records every request, and answers 404 to anything else (recorded, so tests fail
 * loudly).
 *
 * API calls must carry a bearer token the server accepts: one it issued (federation), one listed
 * in `accessTokens`, or a self-signed service-account JWT that verifies with a key in
 * `serviceAccounts` (see {@link makeServiceAccountKey}). With none of the three configured, any
 * bearer token is accepted.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  verify,
} from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  loadContainerDescriptors,
  type ProtoField,
  type ProtoMessage,
  protoMessage,
} from '../../functions/collect/gcp/proto-json.ts';

const FIXTURES = new URL('../fixtures/providers/gcp/', import.meta.url);
const readFixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));

/** The real fixtures (PROVENANCE.md): served as they are, compared as they are. */
export const GCP_FIXTURES = {
  /** cartography's ListClusters answer: one cluster, `test-cluster` in `europe-west2`. */
  clusters: (
    readFixture('container/v1/examples/cartography_gke_list_clusters.json') as {
      clusters: Record<string, unknown>[];
    }
  ).clusters,
  /** forseti's project policy: owners `user:`/`group:`, full `allServices` audit logging. */
  forsetiPolicy: readFixture('iam/forseti_project_iam_policy.json') as Record<string, unknown>,
  /** googleapis' Policy example: a conditional binding, version 3, an exempted audit member. */
  googleapisPolicy: readFixture('iam/googleapis_policy_proto_examples.json') as Record<
    string,
    unknown
  >,
} as const;

/** A fault a project's API (or a discovery listing) answers with. */
export type GcpFault =
  /** 403 PERMISSION_DENIED, every time. */
  | { kind: 'denied' }
  /** 429 RESOURCE_EXHAUSTED with `Retry-After` (default 1 s), `times` times (default 1), then OK. */
  | { kind: 'throttled'; times?: number; retryAfterSeconds?: number }
  /** 500 INTERNAL (or 503 UNAVAILABLE) `times` times (default 1), then OK. */
  | { kind: 'server-error'; status?: 500 | 503; times?: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** No answer until the server closes. */
  | { kind: 'hang' }
  /**
   * 403 PERMISSION_DENIED with the `google.rpc.ErrorInfo` detail of a disabled API: reason
   * `SERVICE_DISABLED`, `metadata.service` the API's (`container.googleapis.com`), and
   * `metadata.consumer` (default: this project, by number: `projects/<number>`).
   */
  | { kind: 'service-disabled'; consumer?: string };

/** One project of the estate. */
export interface GcpProjectEstate {
  /** REST JSON `Cluster` objects (answered as they are). */
  clusters: object[];
  /** The REST JSON `Policy` `getIamPolicy` answers. */
  iamPolicy: object;
  /** `folders/N` or `organizations/N`, for discovery. */
  parent?: string;
  /** The project number (default: 100000 + its index in the estate). */
  number?: string;
  /** Default ACTIVE; DELETE_REQUESTED projects are listed only with `showDeleted`. */
  state?: 'ACTIVE' | 'DELETE_REQUESTED';
  /** Zones the cluster listing reports as unreachable. */
  missingZones?: string[];
  /** `project` is `projects.get` (`GET /v3/projects/<id>`). */
  faults?: { clusters?: GcpFault; iamPolicy?: GcpFault; project?: GcpFault };
}

/** What the server serves. */
export interface GcpEstate {
  projects: Record<string, GcpProjectEstate>;
  /** Folders by name (`folders/N`), for discovery. */
  folders?: Record<string, { parent: string; state?: 'ACTIVE' | 'DELETE_REQUESTED' }>;
}

/** How the server behaves. */
export interface GcpServerOptions {
  estate: GcpEstate;
  /** Delay of every answer, in ms. */
  latencyMs?: number;
  /** Items per page of `projects.list` and `folders.list` (default 100). */
  pageSize?: number;
  /** Faults of the discovery listings, by parent (`folders/1`). */
  listFaults?: { projects?: Record<string, GcpFault>; folders?: Record<string, GcpFault> };
  /** Service-account public keys by `client_email`: self-signed JWTs they verify are accepted. */
  serviceAccounts?: Record<string, KeyObject>;
  /** Bearer tokens accepted as they are. */
  accessTokens?: string[];
  /** Workload identity federation: the audience STS accepts, and the accounts to impersonate. */
  federation?: {
    audience: string;
    /** Service accounts `generateAccessToken` accepts (default: any). */
    serviceAccounts?: string[];
    /** STS answers 400 invalid_grant to every exchange. */
    refuse?: boolean;
  };
}

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** The answer's status. */
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A decoded STS token exchange (`subject_token` is the signed GetCallerIdentity request). */
export interface RecordedExchange {
  audience: string;
  subjectToken: { url: string; method: string; headers: { key: string; value: string }[] };
}

/** A running server. */
export interface GcpServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Every STS exchange, decoded. */
  exchanges: RecordedExchange[];
  /** Access tokens it issued (STS and impersonation). */
  issuedTokens: string[];
  /**
   * Whether its APIs accept this bearer token (`Bearer <token>`), as a GKE API server accepts the
   * Google tokens of its project: for a Kubernetes test server standing in for a GKE endpoint.
   */
  authorizes(token: string): boolean;
  close(): Promise<void>;
}

/**
 * Starts the server on a free port of 127.0.0.1.
 *
 * @example
 * const server = await startGcpServer({ estate: fixtureEstate() });
 * try { ... endpoints: { container: server.url, resourceManager: server.url } ... }
 * finally { await server.close(); }
 */
export async function startGcpServer(options: GcpServerOptions): Promise<GcpServer> {
  await loadContainerDescriptors(); // to answer enums as numbers, as Google does for gax
  const requests: RecordedRequest[] = [];
  const exchanges: RecordedExchange[] = [];
  const issuedTokens: string[] = [];
  const stsTokens = new Set<string>();
  const accessTokens = new Set<string>(options.accessTokens ?? []);
  const served = new Map<string, number>();
  const pageSize = options.pageSize ?? 100;
  const openAuth = !options.serviceAccounts && !options.accessTokens && !options.federation;

  const authorized = (header: string | undefined): boolean => {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    if (!token) return false;
    if (openAuth) return true;
    if (accessTokens.has(token)) return true;
    // A federated token without impersonation reaches the APIs directly.
    if (stsTokens.has(token) && options.federation) return true;
    return verifiesAsServiceAccount(token, options.serviceAccounts ?? {});
  };

  const route = (req: IncomingMessage, url: URL, body: string): Answer => {
    const { pathname: path } = url;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/token') return stsExchange(body);
    const impersonate = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(
      path,
    );
    if (method === 'POST' && impersonate) {
      return generateAccessToken(decodeURIComponent(impersonate[1] ?? ''), req, body);
    }
    const clusters = /^\/v1\/projects\/([^/]+)\/locations\/-\/clusters$/.exec(path);
    const policy = /^\/v3\/projects\/([^/:]+):getIamPolicy$/.exec(path);
    const get = /^\/v3\/projects\/([^/:]+)$/.exec(path);
    const listing = path === '/v3/projects' || path === '/v3/folders';
    if (!(method === 'GET' && (clusters || listing || get)) && !(method === 'POST' && policy)) {
      return googleError(404, 'NOT_FOUND', `${method} ${path} is not served`);
    }
    if (!authorized(req.headers.authorization)) {
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    if (listing) return list(path === '/v3/projects' ? 'projects' : 'folders', url);
    const id = decodeURIComponent((clusters ?? policy ?? get)?.[1] ?? '');
    const project = options.estate.projects[id];
    if (!project) {
      return googleError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${id}.`);
    }
    const part = clusters ? 'clusters' : policy ? 'iamPolicy' : 'project';
    const fault = faulted(project.faults?.[part], `${id}/${part}`, {
      projectNumber: numberOf(id),
      service:
        part === 'clusters' ? 'container.googleapis.com' : 'cloudresourcemanager.googleapis.com',
    });
    if (fault) return fault;
    if (get) return json(200, projectJson(id, project));
    if (clusters) {
      const answer: Record<string, unknown> = {};
      if (project.clusters.length > 0) answer.clusters = project.clusters;
      if (project.missingZones?.length) answer.missingZones = project.missingZones;
      // The system parameter gax sends in REST mode: enums by number instead of by name.
      const numeric = /(^|;)enum-encoding=int(;|$)/.test(url.searchParams.get('$alt') ?? '');
      return json(
        200,
        numeric
          ? enumsAsNumbers(protoMessage('google.container.v1.ListClustersResponse'), answer)
          : answer,
      );
    }
    return json(200, project.iamPolicy);
  };

  /** A project's number: its own, or 100000 + its index in the estate. */
  const numberOf = (id: string): string =>
    options.estate.projects[id]?.number ??
    String(100000 + Object.keys(options.estate.projects).indexOf(id));

  /** The Project resource as Resource Manager v3 answers it (`projects.get`, `projects.list`). */
  const projectJson = (projectId: string, p: GcpProjectEstate) => ({
    name: `projects/${numberOf(projectId)}`,
    parent: p.parent ?? 'organizations/1',
    projectId,
    state: p.state ?? 'ACTIVE',
    displayName: projectId,
    createTime: '2024-01-01T00:00:00.000Z',
    updateTime: '2024-01-01T00:00:00.000Z',
    etag: `W/"${projectId}"`,
  });

  const faulted = (
    fault: GcpFault | undefined,
    key: string,
    api?: { projectNumber: string; service: string },
  ): Answer | undefined => {
    if (!fault) return undefined;
    const n = (served.get(key) ?? 0) + 1;
    served.set(key, n);
    switch (fault.kind) {
      case 'denied':
        return googleError(
          403,
          'PERMISSION_DENIED',
          `The caller does not have permission (${key})`,
        );
      case 'throttled':
        if (n > (fault.times ?? 1)) return undefined;
        return {
          ...googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric reads.'),
          headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        };
      case 'server-error': {
        if (n > (fault.times ?? 1)) return undefined;
        const status = fault.status ?? 500;
        return googleError(
          status,
          status === 503 ? 'UNAVAILABLE' : 'INTERNAL',
          'Internal error encountered.',
        );
      }
      case 'malformed':
        return { status: 200, body: '{"clusters": [ {"name": "trunc', type: 'application/json' };
      case 'hang':
        return { status: 0, body: '', hang: true };
      case 'service-disabled': {
        // As Google answers a call to an API that is not enabled in the consumer project.
        const service = api?.service ?? 'container.googleapis.com';
        const consumer = fault.consumer ?? `projects/${api?.projectNumber ?? '0'}`;
        const number = consumer.replace(/^projects\//, '');
        return json(403, {
          error: {
            code: 403,
            message: `${service.replace('.googleapis.com', '')} API has not been used in project ${number} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=${number} then retry.`,
            status: 'PERMISSION_DENIED',
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                reason: 'SERVICE_DISABLED',
                domain: 'googleapis.com',
                metadata: { service, consumer },
              },
            ],
          },
        });
      }
    }
  };

  const list = (kind: 'projects' | 'folders', url: URL): Answer => {
    const parent = url.searchParams.get('parent') ?? '';
    if (!/^(folders|organizations)\/\d+$/.test(parent)) {
      return googleError(400, 'INVALID_ARGUMENT', 'parent must be folders/N or organizations/N');
    }
    const fault = faulted(options.listFaults?.[kind]?.[parent], `${kind}:${parent}`);
    if (fault) return fault;
    const showDeleted = url.searchParams.get('showDeleted') === 'true';
    const items =
      kind === 'projects'
        ? Object.entries(options.estate.projects)
            .filter(([, p]) => p.parent === parent)
            .map(([projectId, p]) => projectJson(projectId, p))
        : Object.entries(options.estate.folders ?? {})
            .filter(([, f]) => f.parent === parent)
            .map(([name, f]) => ({
              name,
              parent,
              displayName: name.replace('folders/', 'folder-'),
              state: f.state ?? 'ACTIVE',
            }));
    const visible = items.filter((i) => showDeleted || i.state === 'ACTIVE');
    const start = Number(url.searchParams.get('pageToken') ?? '0');
    const page = visible.slice(start, start + pageSize);
    const answer: Record<string, unknown> = {};
    if (page.length > 0) answer[kind] = page;
    if (start + pageSize < visible.length) answer.nextPageToken = String(start + pageSize);
    return json(200, answer);
  };

  const stsExchange = (body: string): Answer => {
    const form = new URLSearchParams(body);
    const fed = options.federation;
    if (!fed) return oauthError(400, 'invalid_request', 'no federation configured');
    const want = {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: fed.audience,
    };
    for (const [k, v] of Object.entries(want)) {
      if (form.get(k) !== v) return oauthError(400, 'invalid_request', `${k} is not ${v}`);
    }
    let subject: RecordedExchange['subjectToken'];
    try {
      subject = JSON.parse(decodeURIComponent(form.get('subject_token') ?? ''));
    } catch {
      return oauthError(400, 'invalid_request', 'subject_token is not a serialized AWS request');
    }
    const header = (k: string) =>
      subject.headers?.find((h) => h.key.toLowerCase() === k.toLowerCase())?.value;
    if (
      !/Action=GetCallerIdentity/.test(subject.url ?? '') ||
      subject.method !== 'POST' ||
      !/^AWS4-HMAC-SHA256 Credential=\S+\/sts\/aws4_request/.test(header('Authorization') ?? '') ||
      header('x-goog-cloud-target-resource') !== fed.audience
    ) {
      return oauthError(400, 'invalid_grant', 'subject_token is not a signed GetCallerIdentity');
    }
    exchanges.push({ audience: fed.audience, subjectToken: subject });
    if (fed.refuse) {
      return oauthError(
        400,
        'invalid_grant',
        'The caller identity is not allowed by the provider.',
      );
    }
    const token = `sts.${randomUUID()}`;
    stsTokens.add(token);
    issuedTokens.push(token);
    return json(200, {
      access_token: token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 3600,
    });
  };

  const generateAccessToken = (email: string, req: IncomingMessage, body: string): Answer => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !stsTokens.has(token)) {
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    const allowed = options.federation?.serviceAccounts;
    if (allowed && !allowed.includes(email)) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission 'iam.serviceAccounts.getAccessToken' denied on ${email}`,
      );
    }
    let scope: unknown;
    try {
      scope = (JSON.parse(body) as { scope?: unknown }).scope;
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'body is not JSON');
    }
    if (!Array.isArray(scope) || scope.length === 0) {
      return googleError(400, 'INVALID_ARGUMENT', 'scope is required');
    }
    const access = `ya29.local-${randomUUID()}`;
    accessTokens.add(access);
    issuedTokens.push(access);
    return json(200, {
      accessToken: access,
      expireTime: new Date(Date.now() + 3600_000).toISOString(),
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let answer: Answer;
      try {
        answer = route(req, url, body);
      } catch (err) {
        answer = googleError(500, 'INTERNAL', `test server failed: ${String(err)}`);
      }
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : (v ?? ''),
          ]),
        ),
        body,
        status: answer.hang ? 0 : answer.status,
        at: Date.now(),
      });
      if (answer.hang) return;
      const send = () => respond(res, answer);
      if (options.latencyMs) setTimeout(send, options.latencyMs);
      else send();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    exchanges,
    issuedTokens,
    authorizes: (token) => authorized(`Bearer ${token}`),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
}

interface Answer {
  status: number;
  body: string;
  type?: string;
  headers?: Record<string, string>;
  hang?: boolean;
}

const json = (status: number, value: unknown): Answer => ({
  status,
  body: JSON.stringify(value),
  type: 'application/json; charset=UTF-8',
});

/** Google's error JSON. */
const googleError = (status: number, code: string, message: string): Answer =>
  json(status, { error: { code: status, message, status: code } });

/** An OAuth error (STS). */
const oauthError = (status: number, error: string, description: string): Answer =>
  json(status, { error, error_description: description });

function respond(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    'content-type': answer.type ?? 'application/json',
    ...answer.headers,
  });
  res.end(answer.body);
}

/** A REST JSON message with every enum given by number (`enum-encoding=int`). */
function enumsAsNumbers(
  type: ProtoMessage,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const one = (field: ProtoField, v: unknown): unknown => {
    if (field.kind === 'enum' && typeof v === 'string') return field.enumValues?.[v] ?? v;
    if (field.kind === 'message' && !field.type.startsWith('google.protobuf.') && isObject(v)) {
      return enumsAsNumbers(protoMessage(field.type), v);
    }
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields.get(key);
    if (!field) out[key] = v;
    else if (field.repeated && Array.isArray(v)) out[key] = v.map((x) => one(field, x));
    else if (field.map && isObject(v)) {
      out[key] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(field, x)]));
    } else out[key] = one(field, v);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a bearer token is a self-signed RS256 JWT of a known service account, unexpired. */
function verifiesAsServiceAccount(token: string, keys: Record<string, KeyObject>): boolean {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  try {
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
      iss?: string;
      sub?: string;
      exp?: number;
      scope?: string;
    };
    const key = payload.iss ? keys[payload.iss] : undefined;
    if (!key || payload.sub !== payload.iss) return false;
    if (!payload.exp || payload.exp * 1000 < Date.now()) return false;
    if (!String(payload.scope ?? '').includes('https://www.googleapis.com/auth/cloud-platform')) {
      return false;
    }
    return verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * A service-account key made at test time (never committed): the key JSON as Google issues it,
 * and its public key for {@link GcpServerOptions.serviceAccounts}.
 *
 * @example
 * const { key, email, publicKey } = makeServiceAccountKey('pci-posture@shop-sec.iam.gserviceaccount.com');
 * writeFileSync(file, JSON.stringify(key));
 * await startGcpServer({ estate, serviceAccounts: { [email]: publicKey } });
 */
export function makeServiceAccountKey(email = 'pci-posture@shop-sec.iam.gserviceaccount.com'): {
  key: Record<string, string>;
  email: string;
  publicKey: KeyObject;
} {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    email,
    publicKey: createPublicKey(privateKey),
    key: {
      type: 'service_account',
      project_id: email.split('@')[1]?.split('.')[0] ?? 'shop-sec',
      private_key_id: randomUUID().replaceAll('-', ''),
      private_key: pem,
      client_email: email,
      client_id: '100000000000000000001',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
  };
}

/**
 * Three projects from the real fixtures: `shop-prod` serves cartography's cluster and forseti's
 * policy verbatim; `shop-dev` an Autopilot variant of that cluster and googleapis' policy;
 * `shop-data` no cluster and forseti's policy. All three sit in `folders/100` under
 * `organizations/1`, `shop-data` one folder deeper (`folders/200`).
 *
 * @example const server = await startGcpServer({ estate: fixtureEstate() });
 */
export function fixtureEstate(): GcpEstate {
  const [cluster] = GCP_FIXTURES.clusters;
  return {
    folders: {
      'folders/100': { parent: 'organizations/1' },
      'folders/200': { parent: 'folders/100' },
    },
    projects: {
      'shop-prod': {
        parent: 'folders/100',
        clusters: GCP_FIXTURES.clusters,
        iamPolicy: GCP_FIXTURES.forsetiPolicy,
      },
      'shop-dev': {
        parent: 'folders/100',
        clusters: [variant(cluster ?? {}, 'shop-dev', 'autopilot-1', 'us-central1', true)],
        iamPolicy: GCP_FIXTURES.googleapisPolicy,
      },
      'shop-data': {
        parent: 'folders/200',
        clusters: [],
        iamPolicy: GCP_FIXTURES.forsetiPolicy,
      },
    },
  };
}

/**
 * A generated estate for the bench: `projects` projects (`bench-project-001`...) with
 * `clustersPerProject` clusters each, derived from cartography's cluster (alternately Standard
 * and Autopilot, over three locations), policies alternating forseti's and googleapis'; every
 * project's parent is `parent` (default `folders/100`, itself under `organizations/1`).
 *
 * @example const server = await startGcpServer({ estate: gcpEstate({ projects: 50, clustersPerProject: 4 }), latencyMs: 20 });
 */
export function gcpEstate(shape: {
  projects: number;
  clustersPerProject: number;
  parent?: string;
}): GcpEstate {
  const [cluster] = GCP_FIXTURES.clusters;
  const parent = shape.parent ?? 'folders/100';
  const locations = ['europe-west2', 'us-central1', 'asia-east1-a'];
  const projects: Record<string, GcpProjectEstate> = {};
  for (let p = 1; p <= shape.projects; p++) {
    const id = `bench-project-${String(p).padStart(3, '0')}`;
    projects[id] = {
      parent,
      clusters: Array.from({ length: shape.clustersPerProject }, (_, c) =>
        variant(
          cluster ?? {},
          id,
          `cluster-${c + 1}`,
          locations[c % 3] ?? 'europe-west2',
          c % 2 === 1,
        ),
      ),
      iamPolicy: p % 2 === 0 ? GCP_FIXTURES.googleapisPolicy : GCP_FIXTURES.forsetiPolicy,
    };
  }
  return { projects, folders: { [parent]: { parent: 'organizations/1' } } };
}

/** The fixture cluster renamed and moved (selfLink follows), Autopilot if asked. */
function variant(
  base: Record<string, unknown>,
  project: string,
  name: string,
  location: string,
  autopilot: boolean,
): Record<string, unknown> {
  const c = structuredClone(base);
  c.name = name;
  c.location = location;
  c.zone = location;
  c.selfLink = `https://container.googleapis.com/v1/projects/${project}/locations/${location}/clusters/${name}`;
  if (autopilot) c.autopilot = { enabled: true };
  return c;
}
