/**
 * The AWS clients the collector uses, made by one injectable factory: tests and the bench point
 * them at moto or a proxy; users point them at FIPS or VPC endpoints from the config.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsTargets } from '../../config/scan-config.ts';
import type { RuntimeSettings } from '../runtime.ts';

/** What a client is for: the account it reads, the region, and the credentials to read it with. */
export interface AwsClientParams {
  /** Absent: the account of the default credentials (not yet known before GetCallerIdentity). */
  account?: string;
  region: string;
  /** Absent: the default credential chain (the function's role, the CLI's profile). */
  credentials?: AwsCredentialIdentity;
}

/** Makes the clients the AWS collector calls. */
export interface AwsClientFactory {
  eks(p: AwsClientParams): EKSClient;
  iam(p: AwsClientParams): IAMClient;
  sts(p: AwsClientParams): STSClient;
  organizations(p: AwsClientParams): OrganizationsClient;
}

type AnyClient = EKSClient | IAMClient | STSClient | OrganizationsClient;

/** How {@link awsClientFactory} makes its clients. */
export interface AwsClientOptions {
  /** Sees every client made (tests add moto's account header here). */
  decorate?: (client: AnyClient, params: AwsClientParams) => void;
  /** The base credentials; default: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity;
}

/**
 * The default factory: adaptive retry (client-side rate limiting, jittered backoff on throttling
 * and 5xx) with `maxAttempts`, a per-attempt request timeout, FIPS and endpoint overrides
 * (`{region}` in an override is replaced).
 *
 * @example const clients = awsClientFactory(config.aws, settings); clients.eks({ account, region: 'eu-west-1' });
 */
export function awsClientFactory(
  targets: Pick<AwsTargets, 'endpoints' | 'useFipsEndpoints'>,
  settings: RuntimeSettings,
  options: AwsClientOptions = {},
): AwsClientFactory {
  const { decorate } = options;
  const config = (p: AwsClientParams, override: string | undefined) => ({
    region: p.region,
    ...((p.credentials ?? options.credentials)
      ? { credentials: p.credentials ?? options.credentials }
      : {}),
    ...(override ? { endpoint: override.replaceAll('{region}', p.region) } : {}),
    useFipsEndpoint: targets.useFipsEndpoints,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      requestTimeout: settings.callTimeoutMs,
      connectionTimeout: Math.min(settings.callTimeoutMs, 5000),
      // Without it the handler only warns when an attempt passes requestTimeout.
      throwOnRequestTimeout: true,
    },
  });
  const made = <C extends AnyClient>(client: C, p: AwsClientParams): C => {
    decorate?.(client, p);
    return client;
  };
  const e = targets.endpoints;
  return {
    eks: (p) => made(new EKSClient(config(p, e.eks)), p),
    iam: (p) => made(new IAMClient(config(p, e.iam)), p),
    sts: (p) => made(new STSClient(config(p, e.sts)), p),
    organizations: (p) => made(new OrganizationsClient(config(p, e.organizations)), p),
  };
}
