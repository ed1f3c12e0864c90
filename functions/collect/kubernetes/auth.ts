/**
 * What it takes to talk to a cluster: the API server, its CA and a bearer token, per the way the
 * cluster was found.
 *
 * - EKS: a presigned STS GetCallerIdentity of the account's role ({@link eksToken}), remade before
 *   it is 14 minutes old; the server and CA come from DescribeCluster.
 * - GKE: a Google access token from the GKE collector's credentials; server and CA from the Cluster.
 * - AKS: an Entra ID token for the AKS server application; the server and CA from the cluster's
 *   user kubeconfig (`listClusterUserCredential`, format `exec`), which for a cluster with Entra
 *   ID holds no secret. Only the server and the CA are read from it. Admin credentials are never
 *   asked for.
 * - Listed directly: the configured endpoint and CA; the token from the environment, a file or
 *   Secrets Manager.
 *
 * Tokens and credentials never reach an error message: failures name what could not be made and
 * the error's type.
 */
import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/core-auth';
import type { AwsCredentialIdentity } from '@smithy/types';
import { parse as parseYaml } from 'yaml';
import { assumeRole } from '../aws/assume-role.ts';
import type { AwsClientFactory } from '../aws/clients.ts';
import type { AzureClientFactory } from '../azure/clients.ts';
import type { GcpAuth } from '../gcp/credentials.ts';
import { type CollectRuntime, failureText } from '../runtime.ts';
import type { ReadSecret } from '../secrets.ts';
import { eksToken, stsEndpointOf, tokenCache } from './eks-token.ts';
import type { ClusterTarget } from './targets.ts';

/** A session policy that allows nothing: the role session only signs GetCallerIdentity. */
const DENY_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** The Entra ID application of every AKS API server (Entra-integrated clusters accept its tokens). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** A token could not be made, or the cluster's server and CA could not be read. */
export class ClusterCredentialError extends Error {
  override readonly name = 'ClusterCredentialError';
}

/** A cluster ready to be read: where, with which CA, and a token source. */
export interface ClusterConnection {
  server: string;
  caData?: string;
  /** The bearer token to send now (cached and refreshed by the source). */
  token(): Promise<string>;
}

/** What AKS clusters are reached with: ARM, the Entra credential, and its secret scrubber. */
export interface AzureAccess {
  clients: AzureClientFactory;
  credential: TokenCredential;
  scrub?: (text: string) => string;
}

/** The clients and credentials tokens are made with; each is needed only for its provider. */
export interface ClusterAuthDeps {
  /** AWS clients (STS: base credentials and AssumeRole into member accounts). */
  aws?: AwsClientFactory;
  /** The GKE collector's Google credentials. */
  gcpAuth?: () => Promise<GcpAuth>;
  /** ARM (for the AKS user kubeconfig) and the Entra credential, made on first use. */
  azure?: () => Promise<AzureAccess>;
  /** Reads a direct cluster's token from Secrets Manager. */
  readSecret?: ReadSecret;
  /** Where a direct cluster's `token.env` is read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The clock of EKS tokens (tests freeze it). */
  now?: () => Date;
}

/**
 * Throws what could not be made, naming the error's type and first line only. The original error
 * is not kept as `cause`: a token exchange's error can hold the request it sent (a key, an
 * assertion), and a cause chain is what loggers print.
 */
function failed(what: string, err: unknown, scrub: (t: string) => string = (t) => t): never {
  throw new ClusterCredentialError(scrub(`${what}: ${failureText(err)}`));
}

/**
 * Makes connections to clusters. One instance serves a whole collection: AWS role credentials
 * and EKS tokens are cached per role and cluster, and remade before they expire.
 *
 * @example
 * const auth = clusterAuth({ aws: awsClientFactory(config.aws, settings) });
 * const conn = await auth.connect(target, rt);
 * const token = await conn.token();
 */
export function clusterAuth(deps: ClusterAuthDeps) {
  const roles = new Map<string, Promise<AwsCredentialIdentity>>();
  // The runtime of the latest collection: cached token sources outlive one invocation of a warm
  // function, and must make their calls in the current one's pool and budget.
  let latest: CollectRuntime | undefined;
  const eksTokens = new Map<string, () => Promise<{ token: string; expiresAt: Date }>>();

  /** The credentials an EKS token is signed with: the member role's, or the base ones. */
  const awsCredentials = (
    access: Extract<ClusterTarget['access'], { kind: 'eks' }>,
  ): Promise<AwsCredentialIdentity> => {
    const rt = latest;
    if (!rt) throw new ClusterCredentialError('no collection is running');
    const aws = deps.aws;
    if (!aws) throw new ClusterCredentialError('no AWS clients were given to make EKS tokens');
    const key = `${access.roleArn ?? ''}\u0000${access.externalId ?? ''}`;
    const cached = roles.get(key);
    if (cached) return cached;
    const made = (async (): Promise<AwsCredentialIdentity> => {
      const sts = aws.sts({ region: access.region });
      try {
        if (!access.roleArn) return await sts.config.credentials();
        return await assumeRole(rt, sts, {
          roleArn: access.roleArn,
          sessionName: 'pci-posture-kubernetes',
          // The session only signs GetCallerIdentity (which no policy can deny): it may do
          // nothing else, whatever the member role allows.
          policy: DENY_ALL,
          ...(access.externalId ? { externalId: access.externalId } : {}),
        });
      } finally {
        sts.destroy();
      }
    })();
    roles.set(key, made);
    // A failure is not kept; nor are credentials about to expire.
    made.then(
      (c) => {
        const ms = c.expiration ? c.expiration.getTime() - Date.now() - 5 * 60_000 : undefined;
        if (ms !== undefined) setTimeout(() => roles.delete(key), Math.max(0, ms)).unref();
      },
      () => roles.delete(key),
    );
    return made;
  };

  const eks = (target: ClusterTarget): ClusterConnection => {
    const access = target.access as Extract<ClusterTarget['access'], { kind: 'eks' }>;
    let source = eksTokens.get(target.id);
    if (!source) {
      source = tokenCache(
        async () =>
          eksToken({
            clusterName: access.clusterName,
            region: access.region,
            stsEndpoint: stsEndpointOf(access.region, access.partition),
            credentials: await awsCredentials(access).catch((err) =>
              failed(
                access.roleArn
                  ? `${access.roleArn} cannot be assumed to make the EKS token`
                  : 'no AWS credentials to make the EKS token',
                err,
              ),
            ),
            ...(deps.now ? { now: deps.now } : {}),
          }),
        deps.now ? { now: deps.now } : {},
      );
      eksTokens.set(target.id, source);
    }
    const tokens = source;
    return {
      server: target.server ?? '',
      ...(target.caData ? { caData: target.caData } : {}),
      token: async () => (await tokens()).token,
    };
  };

  const gke = (target: ClusterTarget): ClusterConnection => {
    const make = deps.gcpAuth;
    return {
      server: target.server ?? '',
      ...(target.caData ? { caData: target.caData } : {}),
      async token() {
        if (!make) throw new ClusterCredentialError('no Google credentials were given');
        let auth: GcpAuth;
        try {
          auth = await make();
        } catch (err) {
          return failed('the Google credentials could not be made', err);
        }
        let token: string | null | undefined;
        try {
          token = (await auth.getAccessToken()).token;
        } catch (err) {
          return failed('no Google access token', err);
        }
        if (!token) throw new ClusterCredentialError('no Google access token was given');
        return token;
      },
    };
  };

  const aks = async (target: ClusterTarget, rt: CollectRuntime): Promise<ClusterConnection> => {
    if (!deps.azure) throw new ClusterCredentialError('no Azure clients were given');
    let azure: AzureAccess;
    try {
      azure = await deps.azure();
    } catch (err) {
      return failed('the Azure credential could not be made', err);
    }
    const access = target.access as Extract<ClusterTarget['access'], { kind: 'aks' }>;
    let body: unknown;
    try {
      body = await rt.call('aks:ListClusterUserCredential', (signal) =>
        azure.clients.listClusterUserCredentials(access, signal),
      );
    } catch (err) {
      return failed('the cluster user kubeconfig could not be read', err, azure.scrub);
    }
    const { server, caData } = serverOfKubeconfig(body);
    const scope = `${access.serverAppId ?? AKS_SERVER_APP_ID}/.default`;
    return {
      server,
      ...(caData ? { caData } : {}),
      async token() {
        try {
          const t = await azure.credential.getToken(scope);
          if (!t?.token) throw new Error('no token was given');
          return t.token;
        } catch (err) {
          return failed('no Entra ID token for the AKS server application', err, azure.scrub);
        }
      },
    };
  };

  const direct = async (target: ClusterTarget): Promise<ClusterConnection> => {
    const access = target.access as Extract<ClusterTarget['access'], { kind: 'direct' }>;
    let caData = target.caData;
    if (access.caFile) {
      try {
        caData = (await readFile(access.caFile)).toString('base64');
      } catch (err) {
        failed(`the CA file ${access.caFile} cannot be read`, err);
      }
    }
    let token: string;
    const source = access.token;
    try {
      if ('env' in source) {
        const v = (deps.env ?? process.env)[source.env];
        if (!v) throw new Error(`the environment variable ${source.env} is not set`);
        token = v;
      } else if ('file' in source) {
        token = await readFile(source.file, 'utf8');
      } else {
        if (!deps.readSecret) throw new Error('no Secrets Manager reader was given');
        token = await deps.readSecret(source.secretArn);
      }
    } catch (err) {
      return failed('the bearer token cannot be read', err);
    }
    token = token.trim();
    if (!token) throw new ClusterCredentialError('the bearer token is empty');
    return {
      server: target.server ?? '',
      ...(caData ? { caData } : {}),
      token: async () => token,
    };
  };

  return {
    /**
     * The connection to a target (throws {@link ClusterCredentialError} when what it needs cannot
     * be read); the token itself is made on the first request.
     */
    async connect(target: ClusterTarget, rt: CollectRuntime): Promise<ClusterConnection> {
      latest = rt;
      switch (target.access.kind) {
        case 'eks':
          return eks(target);
        case 'gke':
          return gke(target);
        case 'aks':
          return aks(target, rt);
        case 'direct':
          return direct(target);
      }
    },
  };
}

/** What `clusterAuth` returns. */
export type ClusterAuth = ReturnType<typeof clusterAuth>;

/**
 * The API server and CA of an AKS `CredentialResults` answer (its first kubeconfig). Nothing else
 * of the kubeconfig is kept, and nothing of it reaches an error.
 *
 * @example serverOfKubeconfig({ kubeconfigs: [{ name: 'clusterUser', value: base64 }] }).server // 'https://payments-dns.hcp.westeurope.azmk8s.io:443'
 */
export function serverOfKubeconfig(body: unknown): { server: string; caData?: string } {
  const value = (body as { kubeconfigs?: { value?: unknown }[] } | null)?.kubeconfigs?.[0]?.value;
  if (typeof value !== 'string' || value === '') {
    throw new ClusterCredentialError('the cluster user credential answer holds no kubeconfig');
  }
  let doc: { clusters?: { cluster?: Record<string, unknown> }[] };
  try {
    doc = parseYaml(Buffer.from(value, 'base64').toString('utf8')) as typeof doc;
  } catch {
    throw new ClusterCredentialError('the cluster user kubeconfig is not YAML');
  }
  const cluster = doc?.clusters?.[0]?.cluster ?? {};
  const server = cluster.server;
  const ca = cluster['certificate-authority-data'];
  if (typeof server !== 'string' || !server.startsWith('https://')) {
    throw new ClusterCredentialError('the cluster user kubeconfig names no https API server');
  }
  return { server, ...(typeof ca === 'string' && ca !== '' ? { caData: ca } : {}) };
}
