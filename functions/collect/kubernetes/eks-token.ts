/**
 * The bearer token of an EKS cluster's Kubernetes API, made as `aws eks get-token` makes it: a
 * SigV4 presigned STS `GetCallerIdentity` URL (query-string signature, `X-Amz-Expires=60`) whose
 * signed headers include `x-k8s-aws-id: <cluster name>`, base64url-encoded without padding after
 * `k8s-aws-v1.`. The API server's authenticator sends that URL to STS as is and maps the caller's
 * ARN to Kubernetes groups (EKS access entries). The server accepts a token for 15 minutes after
 * it was signed; clients stop using it after 14.
 *
 * Neither the credentials nor the token ever appear in an error message.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/** What {@link eksToken} needs. */
export interface EksTokenParams {
  /** The EKS cluster's name (the `x-k8s-aws-id` header the token is bound to). */
  clusterName: string;
  /** The cluster's region, whose STS endpoint signs and checks the token. */
  region: string;
  /** The AWS credentials to sign with (the identity the cluster's access entry names). */
  credentials: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);
  /**
   * default: https://sts.<region>.amazonaws.com (regional; `amazonaws.com.cn` in cn- regions).
   * The API server's authenticator accepts only the STS host names it knows, so give another
   * only for a partition this default does not cover, or in tests.
   */
  stsEndpoint?: string;
  /** The clock (default: the system's); the token is signed at this time. */
  now?: () => Date;
}

/** A bearer token for a Kubernetes API server, and when to stop using it. */
export interface BearerToken {
  token: string;
  /** when to stop using it: made + 14 min, or earlier if the credentials expire sooner */
  expiresAt: Date;
}

/** A token that could not be made; the message never holds credentials or a token. */
export class EksTokenError extends Error {
  override readonly name = 'EksTokenError';
}

/** The token's prefix (aws-iam-authenticator's `v1` token format). */
const TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header that binds the signed request to one cluster. */
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** What `aws eks get-token` signs for (the server accepts the token for 15 minutes anyway). */
const URL_EXPIRES_SECONDS = 60;
/** How long a client uses a token: one minute less than the server accepts it. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

/**
 * The query parameters in the order botocore writes them (the operation's, then
 * `SigV4QueryAuth`'s, the signature last). Any order gives a valid token (the server re-sends the
 * URL as it is, and SigV4 signs the sorted query); this one makes the URL byte-for-byte the AWS
 * CLI's, which the known-vector test checks.
 */
const QUERY_ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
];
const SIGNATURE = 'X-Amz-Signature';

/**
 * SHA-256 (and, given a secret, HMAC-SHA-256) over node:crypto, as the `Checksum` the smithy
 * signer constructs. `digest()` may be called more than once; `update()` after it starts over.
 */
class Sha256 implements Checksum {
  readonly #secret: Uint8Array | undefined;
  #hash: Hash | Hmac;
  #digest: Uint8Array | undefined;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#fresh();
  }

  update(chunk: Uint8Array): void {
    if (this.#digest) this.reset();
    this.#hash.update(chunk);
  }

  async digest(): Promise<Uint8Array> {
    this.#digest ??= new Uint8Array(this.#hash.digest());
    return this.#digest;
  }

  reset(): void {
    this.#hash = this.#fresh();
    this.#digest = undefined;
  }

  #fresh(): Hash | Hmac {
    return this.#secret ? createHmac('sha256', this.#secret) : createHash('sha256');
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  return new Uint8Array(data).slice();
}

/** RFC 3986 percent-encoding, as botocore's `percent_encode` and SigV4's canonical query. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The DNS suffix of each AWS partition (STS is regional in all of them). */
const PARTITION_SUFFIX: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

/**
 * The regional STS endpoint of a region: `https://sts.<region>.<partition's DNS suffix>`. The
 * partition is the cluster ARN's when given; otherwise it is told from the region (China regions
 * `cn-`), and any other region is taken to be in `aws`.
 *
 * @example stsEndpointOf('eu-west-1') // 'https://sts.eu-west-1.amazonaws.com'
 * @example stsEndpointOf('cn-north-1') // 'https://sts.cn-north-1.amazonaws.com.cn'
 * @example stsEndpointOf('us-iso-east-1', 'aws-iso') // 'https://sts.us-iso-east-1.c2s.ic.gov'
 */
export function stsEndpointOf(region: string, partition?: string): string {
  const suffix =
    (partition && PARTITION_SUFFIX[partition]) ??
    (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');
  return `https://sts.${region}.${suffix}`;
}

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/**
 * Makes the bearer token of an EKS cluster, as `aws eks get-token --cluster-name` does: signed
 * now (or at `now()`), used until 14 minutes later or until the credentials expire, whichever
 * is sooner.
 *
 * @example
 * const { token, expiresAt } = await eksToken({
 *   clusterName: 'payments',
 *   region: 'eu-west-1',
 *   credentials: fromNodeProviderChain(),
 * });
 * await fetch(`${endpoint}/api/v1/namespaces`, { headers: { authorization: `Bearer ${token}` } });
 */
export async function eksToken(p: EksTokenParams): Promise<BearerToken> {
  if (!p.clusterName) throw new EksTokenError('an EKS token needs a cluster name');
  if (!REGION.test(p.region)) {
    throw new EksTokenError(`cannot make an EKS token in region ${JSON.stringify(p.region)}`);
  }
  const endpoint = stsUrl(p.stsEndpoint ?? stsEndpointOf(p.region));
  const made = (p.now ?? (() => new Date()))();
  if (Number.isNaN(made.getTime())) throw new EksTokenError('the clock gave an invalid date');

  let credentials: AwsCredentialIdentity;
  try {
    credentials = typeof p.credentials === 'function' ? await p.credentials() : p.credentials;
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error';
    throw new EksTokenError(
      `no AWS credentials for the EKS token of cluster ${p.clusterName}: ${name}`,
      { cause: err },
    );
  }
  if (typeof credentials?.accessKeyId !== 'string' || !credentials.accessKeyId) {
    throw new EksTokenError(`no AWS credentials for the EKS token of cluster ${p.clusterName}`);
  }

  const signer = new SignatureV4({
    service: 'sts',
    region: p.region,
    credentials,
    sha256: Sha256,
    // Percent-encode the path once more, as SigV4 wants for every service but S3.
    uriEscapePath: true,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname,
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, [CLUSTER_ID_HEADER]: p.clusterName },
    },
    { signingDate: made, expiresIn: URL_EXPIRES_SECONDS },
  );

  const query = signed.query ?? {};
  const names = [
    ...QUERY_ORDER.filter((name) => name in query),
    ...Object.keys(query)
      .filter((name) => !QUERY_ORDER.includes(name) && name !== SIGNATURE)
      .sort(),
    SIGNATURE,
  ];
  const pairs = names.map((name) => {
    const value = query[name];
    if (typeof value !== 'string') {
      throw new EksTokenError(`the signer gave no single value for the query parameter ${name}`);
    }
    return `${encode(name)}=${encode(value)}`;
  });
  const url = `${endpoint.origin}${endpoint.pathname}?${pairs.join('&')}`;

  let expiresAt = made.getTime() + TOKEN_LIFETIME_MS;
  const credentialsExpire = credentials.expiration?.getTime();
  if (credentialsExpire !== undefined && credentialsExpire < expiresAt) {
    expiresAt = credentialsExpire;
  }
  return {
    token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    expiresAt: new Date(expiresAt),
  };
}

/** The STS endpoint as a URL: https, no query, no credentials in it. */
function stsUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EksTokenError(`the STS endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    throw new EksTokenError(
      `the STS endpoint ${url.origin} must be an https:// URL without query or user`,
    );
  }
  return url;
}

/**
 * Caches one token per key and makes a new one when the cached one is within `marginMs`
 * (default 60 s) of expiresAt. Concurrent callers share one in-flight request; a failed request
 * is not cached. The key is the returned function: make one cache per cluster (and identity).
 *
 * @example
 * const tokenOf = tokenCache(() => eksToken({ clusterName: 'payments', region: 'eu-west-1', credentials }));
 * const { token } = await tokenOf(); // made once, reused until 13 minutes after it was made
 */
export function tokenCache(
  make: () => Promise<BearerToken>,
  opts: { now?: () => Date; marginMs?: number } = {},
): () => Promise<BearerToken> {
  const now = opts.now ?? (() => new Date());
  const marginMs = opts.marginMs ?? 60_000;
  let cached: BearerToken | undefined;
  let inFlight: Promise<BearerToken> | undefined;
  return () => {
    if (cached && cached.expiresAt.getTime() - now().getTime() > marginMs) {
      return Promise.resolve(cached);
    }
    if (!inFlight) {
      const request = (async () => make())();
      inFlight = request;
      // Registered before any caller's own handlers: the cache is settled when callers resume,
      // so a caller that retries after a failure makes a new request.
      request.then(
        (made) => {
          cached = made;
          if (inFlight === request) inFlight = undefined;
        },
        () => {
          if (inFlight === request) inFlight = undefined;
        },
      );
    }
    return inFlight;
  };
}
