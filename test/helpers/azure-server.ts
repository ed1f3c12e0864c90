/**
 * A local Azure for tests and the bench: one HTTPS server on 127.0.0.1 (a free port, the test
 * CA's certificate) that answers Azure Resource Manager and Microsoft Entra ID as the collector's
 * SDKs call them.
 *
 * - ARM: Subscriptions_List (2022-12-01), ManagedClusters_List (2026-06-01),
 *   RoleAssignments_ListForScope and RoleDefinitions_List (2022-04-01), paged with `nextLink`
 *   (`$skiptoken`), from an estate built from the azure-rest-api-specs examples in
 *   `test/fixtures/providers/azure/` plus overlays. A request with an api-version that has no
 *   fixture is answered 400 `NoFixtureForApiVersion` and recorded: tests assert there is none.
 *   A request without a token this server issued is answered 401.
 * - ManagedClusters_ListClusterUserCredentials (POST, 2026-06-01, `format=exec`): for a cluster
 *   with `aadProfile`, a kubeconfig naming the API server (`kubeconfigServer`) and the test CA,
 *   with no secret; for a cluster without it, what Azure gives for local accounts: a kubeconfig
 *   holding a client key and token (the collector must never ask for it).
 * - Entra: `/<tenant>/v2.0/.well-known/openid-configuration` (what MSAL asks first when instance
 *   discovery is off) and `/<tenant>/oauth2/v2.0/token` (client_credentials with a client secret
 *   or a JWT client assertion; certificate assertions are verified against the certificate).
 *
 * Every request is recorded (method, path, query, api-version, `$filter`, whether it carried a
 * bearer token, the token request's form). Faults per operation and subscription: 403
 * AuthorizationFailed, 429 with Retry-After, 500, malformed JSON; the token endpoint refuses a
 * credential it does not accept (401 invalid_client: AADSTS7000215, or AADSTS700027 for an
 * assertion not signed by the certificate), and can refuse every request, refuse quoting the
 * secrets it received, hang, or answer 429 or 500. The credential it accepts and its failure can
 * be changed while it runs (a rotated secret, an outage).
 */
import { createHash, createPublicKey, randomBytes, constants as rsa, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testCa } from './test-ca.ts';

/** The ARM operations the server answers, by REST spec operation id. */
export type AzureOperation =
  | 'Subscriptions_List'
  | 'ManagedClusters_List'
  | 'RoleAssignments_ListForScope'
  | 'RoleDefinitions_List'
  | 'ManagedClusters_ListClusterUserCredentials';

/** The api-version each operation has fixtures for. */
export const FIXTURE_API_VERSIONS: Readonly<Record<AzureOperation, string>> = {
  Subscriptions_List: '2022-12-01',
  ManagedClusters_List: '2026-06-01',
  RoleAssignments_ListForScope: '2022-04-01',
  RoleDefinitions_List: '2022-04-01',
  ManagedClusters_ListClusterUserCredentials: '2026-06-01',
};

/** The secret a local-account kubeconfig holds: it must never reach anything the collector writes. */
export const LOCAL_ACCOUNT_SECRET = 'local-account-token-0f9e8d7c6b5a4f3e2d1c';

type Json = Record<string, unknown>;

/** One subscription of the estate: its Subscriptions_List item and its objects, as ARM JSON. */
export interface AzureSubscriptionEstate {
  /** The Subscriptions_List item (`subscriptionId`, `state`, ...). */
  subscription: Json & { subscriptionId: string; state: string };
  clusters: Json[];
  roleAssignments: Json[];
  roleDefinitions: Json[];
}

/** What the server holds. */
export interface AzureEstateData {
  tenantId: string;
  subscriptions: AzureSubscriptionEstate[];
}

/** A failure the server answers instead of a page. */
export interface AzureFault {
  operation: AzureOperation;
  /** Only for this subscription (Subscriptions_List has none); default every one. */
  subscription?: string;
  kind: 'forbidden' | 'throttled' | 'server-error' | 'malformed';
  /** How many requests it hits; default: forbidden and malformed always, the others once. */
  times?: number;
  /** Only this page (0 is the first); default every page. */
  page?: number;
  /** Retry-After seconds of `throttled`; default 1. */
  retryAfterSeconds?: number;
}

/** The credential the token endpoint accepts (any one of those given). */
export interface AzureCredentialExpectation {
  clientId: string;
  /** A client secret. */
  secret?: string;
  /** A client assertion, compared as is (federation). */
  assertion?: string;
  /** A certificate (PEM): a client assertion must be signed by its key (RS256 or PS256). */
  certificate?: string;
}

/** A failure the token endpoint answers instead of a token (not a refusal of the credential). */
export type AzureTokenFault =
  /** 429 `temporarily_unavailable` (AADSTS50196) with `Retry-After: 1`. */
  | 'throttled'
  /** 500 `server_error` (AADSTS90033, a transient error) with `Retry-After: 1`. */
  | 'server-error';

/** How the server behaves. */
export interface AzureServerOptions {
  /** Default: {@link fixtureEstate}. */
  estate?: AzureEstateData;
  /** Items per page (each list is paged with nextLink); default 100. */
  pageSize?: number;
  faults?: AzureFault[];
  /** Added before every ARM answer, in ms. */
  latencyMs?: number;
  /** Default: any client id with any credential. */
  credential?: AzureCredentialExpectation;
  /** The token endpoint refuses every request (400 invalid_client). */
  refuseTokens?: boolean;
  /**
   * The token endpoint refuses every request with an `error_description` that quotes what it
   * received (the client secret, the client assertion) and a PEM private key, on its first line:
   * what the collector records must be scrubbed of them.
   */
  echoSecretsInRefusal?: boolean;
  /** The first this many token requests are never answered (the connection stays open). */
  hangTokens?: number;
  /** Every token request is answered with this failure (until {@link AzureServer.setTokenFault}). */
  tokenFault?: AzureTokenFault;
  /** Lifetime of the tokens issued, in s; default 3599. */
  tokenLifetimeSeconds?: number;
  /** Where nextLinks point; default the server's own URL (a fault: another origin). */
  nextLinkBase?: string;
  /** The API server a cluster's user kubeconfig names; default `https://<fqdn>:443`. */
  kubeconfigServer?: (clusterId: string) => string | undefined;
  /** Tokens issued for these scopes are these (so another server can accept them). */
  tokenForScope?: Record<string, string>;
}

/** One request the server received. */
export interface AzureRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  apiVersion?: string;
  filter?: string;
  operation?: AzureOperation;
  subscription?: string;
  /** An `Authorization: Bearer` header was sent. */
  bearer: boolean;
  /** The form of a token request. */
  form?: Record<string, string>;
  status: number;
  /** When it arrived (`Date.now()`). */
  at: number;
  /** The ARM or OAuth error code answered, if any. */
  error?: string;
}

/** A running server. */
export interface AzureServer {
  url: string;
  port: number;
  /** The CA certificate (PEM) that signed the server's certificate. */
  ca: string;
  tenantId: string;
  requests: AzureRequest[];
  /** Requests answered 400 because no fixture has their api-version (should be none). */
  unsupportedApiVersions(): AzureRequest[];
  /** The access tokens issued. */
  issuedTokens: ReadonlySet<string>;
  /** From now on the token endpoint accepts this credential only (a rotated secret); none: any. */
  setCredential(credential: AzureCredentialExpectation | undefined): void;
  /** From now on every token request is answered with this failure; none: answered as usual. */
  setTokenFault(fault: AzureTokenFault | undefined): void;
  close(): Promise<void>;
}

const FIXTURES = new URL('../fixtures/providers/azure/', import.meta.url);
const fixture = (path: string) =>
  JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as {
    responses: { '200': { body: Json } };
  };

/** The PEM private key lines `echoSecretsInRefusal` quotes (not a real key). */
export const LEAKED_KEY =
  '-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7leakedKeyLine';

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';

/** Replaces one subscription id with another everywhere in a JSON value (an overlay). */
function resubscribe<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from, to)) as T;
}

function clusterOverlay(base: Json, subscription: string, name: string, group: string): Json {
  const c = structuredClone(base) as Json & { properties: Json };
  c.name = name;
  c.id = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  c.properties = {
    ...c.properties,
    enableRBAC: true,
    disableLocalAccounts: true,
    aadProfile: { managed: true, enableAzureRBAC: true },
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] },
    networkProfile: { ...(c.properties.networkProfile as Json), networkPolicy: 'calico' },
  };
  return c;
}

function assignment(subscription: string, scope: string, name: string, role: string): Json {
  return {
    properties: {
      roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      principalId: 'ce2ce14e-85d7-4629-bdbc-454d0519d987',
      principalType: 'User',
      scope,
    },
    id: `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name,
  };
}

/**
 * One subscription's objects from the fixtures: the 2026-06-01 ManagedClustersList cluster
 * (`clustername1`, `enableRBAC: false`) re-homed in the subscription, plus `overlayClusters`
 * hardened copies of it (`enableRBAC: true`, calico, Entra with Azure RBAC) in resource group
 * `RG-Payments`; the 2022-04-01 RoleAssignments_ListForScope item, an Owner assignment at the
 * subscription and a User Access Administrator assignment inherited from management group
 * `corp`; the GetRoleDefinitionByName role made a custom role, and a custom role with `*`.
 *
 * @example const sub = subscriptionEstate({ subscriptionId: s, state: 'Enabled' }, 1);
 */
export function subscriptionEstate(
  subscription: AzureSubscriptionEstate['subscription'],
  overlayClusters = 1,
  names: (i: number) => string = (i) => `payments-${i + 1}`,
): AzureSubscriptionEstate {
  const s = subscription.subscriptionId;
  const listed = fixture('containerservice/2026-06-01/ManagedClustersList.json').responses['200']
    .body.value as Json[];
  const base = resubscribe(listed[0]!, '00000000-0000-0000-0000-000000000000', s);
  const assignments = fixture('authorization/2022-04-01/RoleAssignments_ListForScope.json')
    .responses['200'].body.value as Json[];
  const role = fixture('authorization/2022-04-01/GetRoleDefinitionByName.json').responses['200']
    .body as Json & { properties: Json };
  const custom = (name: string, actions: string[]): Json => ({
    ...structuredClone(role),
    id: `/subscriptions/${s}/providers/Microsoft.Authorization/roleDefinitions/${name}`,
    name,
    properties: {
      ...structuredClone(role.properties),
      type: 'CustomRole',
      roleName: `role ${name.slice(0, 8)}`,
      assignableScopes: [`/subscriptions/${s}`],
      permissions: [{ actions, notActions: [], dataActions: [], notDataActions: [] }],
    },
  });
  return {
    subscription,
    clusters: [
      base,
      ...Array.from({ length: overlayClusters }, (_, i) =>
        clusterOverlay(base, s, names(i), 'RG-Payments'),
      ),
    ],
    roleAssignments: [
      ...resubscribe(assignments, 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2', s),
      assignment(s, `/subscriptions/${s}`, `${s.slice(0, 8)}-0000-4000-8000-000000000001`, OWNER),
      assignment(
        s,
        '/providers/Microsoft.Management/managementGroups/corp',
        '7d1c1b54-0000-4000-8000-00000000c0de',
        USER_ACCESS_ADMINISTRATOR,
      ),
    ],
    roleDefinitions: [
      custom(`${s.slice(0, 8)}-0000-4000-8000-0000000000a1`, ['Microsoft.Compute/*/read']),
      custom(`${s.slice(0, 8)}-0000-4000-8000-0000000000a2`, ['*']),
    ],
  };
}

/**
 * The estate of the fixtures: the two (Enabled) subscriptions of the 2022-12-01
 * GetSubscriptions example, each with two clusters, three role assignments and two custom roles
 * ({@link subscriptionEstate}); tenant `31c75423-32d6-4322-88b7-c478bdde4858`.
 *
 * @example const server = await startAzureServer({ estate: fixtureEstate() });
 */
export function fixtureEstate(): AzureEstateData {
  const listed = fixture('subscriptions/2022-12-01/GetSubscriptions.json').responses['200'].body
    .value as AzureSubscriptionEstate['subscription'][];
  return {
    tenantId: '31c75423-32d6-4322-88b7-c478bdde4858',
    subscriptions: listed.map((s) => subscriptionEstate(s)),
  };
}

/**
 * A large estate for the bench: `subscriptions` Enabled subscriptions (ids
 * `00000000-0000-4000-8000-<n>`), each with `clustersPerSubscription` clusters (the fixture
 * cluster and hardened copies), three role assignments and two custom roles.
 *
 * @example const server = await startAzureServer({ estate: azureEstate({ subscriptions: 50, clustersPerSubscription: 4 }), latencyMs: 20 });
 */
export function azureEstate(size: {
  subscriptions: number;
  clustersPerSubscription: number;
}): AzureEstateData {
  const base = fixture('subscriptions/2022-12-01/GetSubscriptions.json').responses['200'].body
    .value as AzureSubscriptionEstate['subscription'][];
  return {
    tenantId: '31c75423-32d6-4322-88b7-c478bdde4858',
    subscriptions: Array.from({ length: size.subscriptions }, (_, n) => {
      const id = `00000000-0000-4000-8000-${(n + 1).toString(16).padStart(12, '0')}`;
      const item = {
        ...resubscribe(base[0]!, base[0]!.subscriptionId, id),
        displayName: `bench ${n + 1}`,
      };
      return subscriptionEstate(item, Math.max(0, size.clustersPerSubscription - 1));
    }),
  };
}

const ARM_ROUTES: { re: RegExp; operation: AzureOperation }[] = [
  { re: /^\/subscriptions$/i, operation: 'Subscriptions_List' },
  {
    re: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters$/i,
    operation: 'ManagedClusters_List',
  },
  {
    re: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/roleAssignments$/i,
    operation: 'RoleAssignments_ListForScope',
  },
  {
    re: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/roleDefinitions$/i,
    operation: 'RoleDefinitions_List',
  },
];

const USER_CREDENTIAL =
  /^(\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+)\/listClusterUserCredential$/i;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function b64urlJson(part: string | undefined): Json | undefined {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Json;
  } catch {
    return undefined;
  }
}

/** True when a JWT is signed (RS256 or PS256) by the certificate's key. */
function signedBy(jwt: string, certificatePem: string): boolean {
  const [h, p, sig] = jwt.split('.');
  const header = b64urlJson(h);
  if (!header || !p || !sig) return false;
  const key = createPublicKey(certificatePem);
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  if (header.alg === 'RS256') return verify('sha256', data, key, signature);
  if (header.alg === 'PS256') {
    return verify(
      'sha256',
      data,
      { key, padding: rsa.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature,
    );
  }
  return false;
}

/** The SHA-1 and SHA-256 thumbprints of a PEM certificate, base64url (x5t, x5t#S256). */
function thumbprints(certificatePem: string): string[] {
  const der = Buffer.from(
    certificatePem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''),
    'base64',
  );
  return ['sha1', 'sha256'].map((a) => createHash(a).update(der).digest('base64url'));
}

/**
 * Starts the server on 127.0.0.1 on a free port.
 *
 * @example
 * const azure = await startAzureServer({ credential: { clientId, secret: 's3cr3t-value' } });
 * // config: cloud: { authorityHost: azure.url, resourceManager: azure.url }; deps: { tlsCa: azure.ca }
 * await azure.close();
 */
export async function startAzureServer(options: AzureServerOptions = {}): Promise<AzureServer> {
  const estate = options.estate ?? fixtureEstate();
  const pageSize = options.pageSize ?? 100;
  const faults = (options.faults ?? []).map((f) => ({
    ...f,
    left: f.times ?? (f.kind === 'forbidden' || f.kind === 'malformed' ? Infinity : 1),
  }));
  const requests: AzureRequest[] = [];
  let hangsLeft = options.hangTokens ?? 0;
  let accepted = options.credential;
  let tokenFault = options.tokenFault;
  const issued = new Set<string>();
  const { ca, cert, key } = testCa();
  let url = '';

  const send = (
    res: ServerResponse,
    record: AzureRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    record.status = status;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  };
  const armError = (
    res: ServerResponse,
    record: AzureRequest,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
  ) => {
    record.error = code;
    send(res, record, status, { error: { code, message } }, headers);
  };

  const token = (res: ServerResponse, record: AzureRequest, form: Record<string, string>) => {
    const refuse = (code: string, description: string, errorCode = 7000215) => {
      record.error = code;
      send(res, record, code === 'invalid_client' ? 401 : 400, {
        error: code,
        error_description: description,
        error_codes: [errorCode],
        timestamp: new Date().toISOString(),
        trace_id: '00000000-0000-0000-0000-000000000000',
        correlation_id: '00000000-0000-0000-0000-000000000000',
      });
    };
    if (options.echoSecretsInRefusal) {
      return refuse(
        'invalid_client',
        `AADSTS7000215: Invalid client credential: client_secret=${form.client_secret ?? ''} client_assertion=${form.client_assertion ?? ''} key=${LEAKED_KEY}`,
      );
    }
    if (options.refuseTokens) {
      return refuse(
        'invalid_client',
        'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    if (tokenFault) {
      const [status, error, description, code] =
        tokenFault === 'throttled'
          ? [
              429,
              'temporarily_unavailable',
              'AADSTS50196: The server terminated an operation because it encountered a client request loop.',
              50196,
            ]
          : [500, 'server_error', 'AADSTS90033: A transient error has occurred.', 90033];
      record.error = error;
      return send(
        res,
        record,
        status,
        {
          error,
          error_description: description,
          error_codes: [code],
          timestamp: new Date().toISOString(),
          trace_id: '00000000-0000-0000-0000-000000000000',
          correlation_id: '00000000-0000-0000-0000-000000000000',
        },
        { 'retry-after': '1' },
      );
    }
    if (form.grant_type !== 'client_credentials') {
      return refuse(
        'unsupported_grant_type',
        'AADSTS70003: only client_credentials is served.',
        70003,
      );
    }
    const want = accepted;
    if (want) {
      if (form.client_id !== want.clientId) {
        return refuse(
          'unauthorized_client',
          `AADSTS700016: Application ${form.client_id} not found.`,
          700016,
        );
      }
      const assertion = form.client_assertion;
      const jwtBearer =
        form.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      const ok =
        (want.secret !== undefined && form.client_secret === want.secret) ||
        (want.assertion !== undefined && jwtBearer && assertion === want.assertion) ||
        (want.certificate !== undefined &&
          jwtBearer &&
          assertion !== undefined &&
          signedBy(assertion, want.certificate) &&
          thumbprints(want.certificate).some((t) => {
            const h = b64urlJson(assertion.split('.')[0]);
            return h?.x5t === t || h?.['x5t#S256'] === t;
          }));
      if (!ok && want.certificate !== undefined && jwtBearer) {
        return refuse(
          'invalid_client',
          'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.',
          700027,
        );
      }
      if (!ok) {
        return refuse(
          'invalid_client',
          'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        );
      }
    }
    const access =
      options.tokenForScope?.[form.scope ?? ''] ?? `test-access-${randomBytes(12).toString('hex')}`;
    issued.add(access);
    const lifetime = options.tokenLifetimeSeconds ?? 3599;
    send(res, record, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: access,
    });
  };

  const userCredential = async (
    req: IncomingMessage,
    res: ServerResponse,
    record: AzureRequest,
    clusterId: string,
    subscription: string,
    query: URLSearchParams,
  ) => {
    const operation = 'ManagedClusters_ListClusterUserCredentials';
    record.operation = operation;
    record.subscription = subscription;
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !issued.has(auth.slice('Bearer '.length))) {
      return armError(
        res,
        record,
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
      );
    }
    if (record.apiVersion !== FIXTURE_API_VERSIONS[operation]) {
      return armError(res, record, 400, 'NoFixtureForApiVersion', `not ${record.apiVersion}`);
    }
    if (faults.some((f) => f.operation === operation && f.kind === 'forbidden')) {
      return armError(
        res,
        record,
        403,
        'AuthorizationFailed',
        `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action' over scope '${clusterId}'.`,
      );
    }
    const cluster = estate.subscriptions
      .flatMap((sub) => sub.clusters)
      .find((c) => String(c.id).toLowerCase() === clusterId.toLowerCase());
    if (!cluster) {
      return armError(res, record, 404, 'ResourceNotFound', `${clusterId} was not found.`);
    }
    const props = (cluster.properties ?? {}) as Json;
    const name = String(cluster.name);
    const server =
      options.kubeconfigServer?.(String(cluster.id)) ?? `https://${String(props.fqdn)}:443`;
    const entra = props.aadProfile !== undefined && props.aadProfile !== null;
    if (entra && query.get('format') !== 'exec') {
      return armError(res, record, 400, 'BadRequest', 'test server: ask for format=exec');
    }
    const user = entra
      ? `    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args: [get-token, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]\n`
      : `    client-key-data: ${Buffer.from(LOCAL_ACCOUNT_SECRET).toString('base64')}\n    token: ${LOCAL_ACCOUNT_SECRET}\n`;
    const kubeconfig = `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${Buffer.from(ca).toString('base64')}\n    server: ${server}\n  name: ${name}\ncontexts:\n- context:\n    cluster: ${name}\n    user: clusterUser_${name}\n  name: ${name}\ncurrent-context: ${name}\nkind: Config\nusers:\n- name: clusterUser_${name}\n  user:\n${user}`;
    send(res, record, 200, {
      kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }],
    });
  };

  const arm = async (
    req: IncomingMessage,
    res: ServerResponse,
    record: AzureRequest,
    operation: AzureOperation,
    subscription: string | undefined,
    query: URLSearchParams,
  ) => {
    record.operation = operation;
    if (subscription) record.subscription = subscription;
    if (options.latencyMs) await sleep(options.latencyMs);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !issued.has(auth.slice('Bearer '.length))) {
      return armError(
        res,
        record,
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        {
          'www-authenticate': `Bearer authorization_uri="${url}/${estate.tenantId}", error="invalid_token"`,
        },
      );
    }
    const want = FIXTURE_API_VERSIONS[operation];
    if (record.apiVersion !== want) {
      return armError(
        res,
        record,
        400,
        'NoFixtureForApiVersion',
        `test server: ${operation} has fixtures for api-version ${want} only, not ${record.apiVersion ?? '(none)'}`,
      );
    }
    const page = Number(query.get('$skiptoken') ?? '0');
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        f.operation === operation &&
        (f.subscription === undefined ||
          f.subscription.toLowerCase() === subscription?.toLowerCase()) &&
        (f.page === undefined || f.page === page),
    );
    if (fault) {
      fault.left--;
      if (fault.kind === 'forbidden') {
        return armError(
          res,
          record,
          403,
          'AuthorizationFailed',
          `The client 'ce2ce14e-85d7-4629-bdbc-454d0519d987' with object id 'ce2ce14e-85d7-4629-bdbc-454d0519d987' does not have authorization to perform action '${operation}' over scope '/subscriptions/${subscription}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      }
      if (fault.kind === 'throttled') {
        return armError(res, record, 429, 'TooManyRequests', 'The request is being throttled.', {
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        });
      }
      if (fault.kind === 'server-error') {
        return armError(
          res,
          record,
          500,
          'InternalServerError',
          'Encountered internal server error.',
        );
      }
      record.error = 'malformed';
      return send(res, record, 200, '{"value": [ {"id": "/subscriptions/');
    }
    let items: Json[];
    if (operation === 'Subscriptions_List') items = estate.subscriptions.map((s) => s.subscription);
    else {
      const sub = estate.subscriptions.find(
        (s) => s.subscription.subscriptionId.toLowerCase() === subscription?.toLowerCase(),
      );
      if (!sub) {
        return armError(
          res,
          record,
          404,
          'SubscriptionNotFound',
          `The subscription '${subscription}' could not be found.`,
        );
      }
      items =
        operation === 'ManagedClusters_List'
          ? sub.clusters
          : operation === 'RoleAssignments_ListForScope'
            ? sub.roleAssignments
            : sub.roleDefinitions;
    }
    const start = page * pageSize;
    const body: Json = { value: items.slice(start, start + pageSize) };
    if (start + pageSize < items.length) {
      const next = new URL(record.path, options.nextLinkBase ?? url);
      next.searchParams.set('api-version', want);
      if (record.filter) next.searchParams.set('$filter', record.filter);
      next.searchParams.set('$skiptoken', String(page + 1));
      body.nextLink = next.toString();
    }
    send(res, record, 200, body);
  };

  const server = createServer({ cert, key }, (req, res) => {
    const u = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const record: AzureRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query,
      ...(query['api-version'] ? { apiVersion: query['api-version'] } : {}),
      ...(query.$filter ? { filter: query.$filter } : {}),
      bearer: (req.headers.authorization ?? '').startsWith('Bearer '),
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const tenant = estate.tenantId;
      const answer = async () => {
        if (
          req.method === 'GET' &&
          u.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`
        ) {
          return send(res, record, 200, {
            token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
            authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${url}/${tenant}/oauth2/v2.0/logout`,
            jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
            issuer: `${url}/${tenant}/v2.0`,
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            token_endpoint_auth_methods_supported: [
              'client_secret_post',
              'private_key_jwt',
              'client_secret_basic',
            ],
          });
        }
        if (req.method === 'POST' && u.pathname === `/${tenant}/oauth2/v2.0/token`) {
          const form = Object.fromEntries(
            new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          );
          record.form = form;
          if (hangsLeft > 0) {
            hangsLeft--;
            record.error = 'hung';
            return; // never answered: close() ends the connection
          }
          return token(res, record, form);
        }
        const credential = req.method === 'POST' ? USER_CREDENTIAL.exec(u.pathname) : null;
        if (credential) {
          return userCredential(req, res, record, credential[1]!, credential[2]!, u.searchParams);
        }
        if (req.method === 'GET') {
          for (const route of ARM_ROUTES) {
            const m = route.re.exec(u.pathname);
            if (m) return arm(req, res, record, route.operation, m[1], u.searchParams);
          }
        }
        armError(
          res,
          record,
          404,
          'NotServed',
          `test server: nothing at ${req.method} ${u.pathname}`,
        );
      };
      answer().catch((err: unknown) => {
        armError(res, record, 500, 'TestServerBug', String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `https://127.0.0.1:${port}`;
  return {
    url,
    port,
    ca,
    tenantId: estate.tenantId,
    requests,
    issuedTokens: issued,
    unsupportedApiVersions: () => requests.filter((r) => r.error === 'NoFixtureForApiVersion'),
    setCredential: (credential) => {
      accepted = credential;
    },
    setTokenFault: (fault) => {
      tokenFault = fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
