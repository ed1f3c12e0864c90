/**
 * What the GCP and Azure collectors (and the Kubernetes collector, which reads GKE and AKS
 * clusters with the same credentials) need from AWS to get their credentials, as IAM
 * permissions, and which credential sources can work in Lambda at all. Federation needs no stored secret: GCP
 * workload identity signs an STS GetCallerIdentity request with the function's own role (no IAM
 * permission needed), and Azure federation exchanges an AWS-issued token (STS
 * GetWebIdentityToken, limited to the configured audience and 5 minutes). A secret is read by its
 * ARN only.
 */
import { federatedAudience } from '../functions/collect/azure/audience.ts';
import type { ScanConfig } from '../functions/config/scan-config.ts';
import type { Permission } from './least-privilege.ts';
import { PropsError } from './props-error.ts';

/** The longest AWS web identity token the Azure collector asks for, in seconds. */
export const WEB_IDENTITY_TOKEN_SECONDS = 300;

/**
 * Whether the plan function lists GCP projects (a folder or the organization), and so needs the
 * GCP credentials too.
 *
 * @example gcpDiscovers({ gcp: { projects: { folder: 'folders/1' } } } as ScanConfig) // true
 */
export function gcpDiscovers(config: ScanConfig): boolean {
  return config.gcp !== undefined && !Array.isArray(config.gcp.projects);
}

/**
 * Whether the plan function lists Azure subscriptions (`subscriptions: all`).
 *
 * @example azureDiscovers({ azure: { subscriptions: 'all' } } as ScanConfig) // true
 */
export function azureDiscovers(config: ScanConfig): boolean {
  return config.azure?.subscriptions === 'all';
}

/**
 * Refuses credential sources a Lambda function cannot use (a local file, an environment variable
 * the construct does not set, Application Default Credentials), naming the prop and the fix. The
 * clusters listed directly are checked when Kubernetes collection is enabled: their CA inline
 * (`caData`), their token in Secrets Manager.
 *
 * @example checkLambdaCredentials(parsedConfig) // throws PropsError for gcp.credentials.file
 */
export function checkLambdaCredentials(config: ScanConfig): void {
  const gcp = config.gcp?.credentials;
  if (gcp?.type === 'workload-identity-federation') {
    if (gcp.configFile !== undefined) {
      throw new PropsError(
        'config.gcp.credentials.configFile',
        gcp.configFile,
        'a Lambda function has no such file: give audience (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>) and serviceAccount instead',
      );
    }
    if (gcp.audience === undefined) {
      throw new PropsError(
        'config.gcp.credentials.audience',
        undefined,
        'give the workload identity pool provider that trusts the collect role (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>); Application Default Credentials do not exist in Lambda',
      );
    }
  }
  if (gcp?.type === 'service-account-key' && gcp.file !== undefined) {
    throw new PropsError(
      'config.gcp.credentials.file',
      gcp.file,
      'a Lambda function has no such file: store the key in Secrets Manager and give secretArn, or use workload-identity-federation (no key at all)',
    );
  }
  const azure = config.azure?.credentials;
  if (azure?.type === 'federated' && azure.tokenFile !== undefined) {
    throw new PropsError(
      'config.azure.credentials.tokenFile',
      azure.tokenFile,
      'a Lambda function has no such file: leave tokenFile out, and the function exchanges an AWS STS GetWebIdentityToken of its own role',
    );
  }
  if (azure?.type === 'certificate' && azure.file !== undefined) {
    throw new PropsError(
      'config.azure.credentials.file',
      azure.file,
      'a Lambda function has no such file: store the PEM in Secrets Manager and give secretArn, or use federated (no secret at all)',
    );
  }
  if (azure?.type === 'secret' && azure.env !== undefined) {
    throw new PropsError(
      'config.azure.credentials.env',
      azure.env,
      'the construct sets no such environment variable: store the client secret in Secrets Manager and give secretArn, or use federated (no secret at all)',
    );
  }
  if (config.kubernetes.enabled) checkDirectClusters(config.kubernetes.clusters);
}

/** The clusters listed directly: no CA file, no token from a file or the environment. */
function checkDirectClusters(clusters: ScanConfig['kubernetes']['clusters']): void {
  for (const [i, cluster] of clusters.entries()) {
    const at = `config.kubernetes.clusters[${i}]`;
    if (cluster.caFile !== undefined) {
      throw new PropsError(
        `${at}.caFile`,
        cluster.caFile,
        'a Lambda function has no such file: give caData, the base64 PEM of certificate-authority-data',
      );
    }
    const token = cluster.token;
    if ('env' in token) {
      throw new PropsError(
        `${at}.token.env`,
        token.env,
        'the construct sets no such environment variable: give token.secretArn: a bearer token in Secrets Manager',
      );
    }
    if ('file' in token) {
      throw new PropsError(
        `${at}.token.file`,
        token.file,
        'a Lambda function has no such file: give token.secretArn: a bearer token in Secrets Manager',
      );
    }
  }
}

/**
 * The permissions a function needs to get the GCP or Azure credentials: `gcp` and `azure` are
 * the collect functions; `plan` gets each provider's when it discovers that provider's scopes;
 * `kubernetes` (which reads the GKE and AKS clusters the cloud units found) gets both, and the
 * bearer tokens of the clusters listed directly.
 *
 * @example attachPolicy(this, 'CollectAzurePolicy', role, 'collect (Azure)', [...cloudCredentialPermissions(config, 'azure')]);
 */
export function cloudCredentialPermissions(
  config: ScanConfig,
  who: 'plan' | 'gcp' | 'azure' | 'kubernetes',
): Permission[] {
  const permissions: Permission[] = [];
  const gcp = config.gcp?.credentials;
  if (gcp && (who === 'gcp' || who === 'kubernetes' || (who === 'plan' && gcpDiscovers(config)))) {
    if (gcp.type === 'service-account-key' && gcp.secretArn) {
      permissions.push({ actions: ['secretsmanager:GetSecretValue'], resources: [gcp.secretArn] });
    }
  }
  const azure = config.azure?.credentials;
  if (
    azure &&
    (who === 'azure' || who === 'kubernetes' || (who === 'plan' && azureDiscovers(config)))
  ) {
    if (azure.type === 'federated') {
      // The audience the collector asks for (a sovereign cloud's own, by its authority host).
      const audience = (config.azure && federatedAudience(config.azure)) ?? azure.audience;
      permissions.push({
        actions: ['sts:GetWebIdentityToken'],
        resources: ['*'],
        conditions: {
          'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': [audience] },
          NumericLessThanEquals: { 'sts:DurationSeconds': WEB_IDENTITY_TOKEN_SECONDS },
        },
        wildcardReason: `sts:GetWebIdentityToken supports no resource-level permissions; the conditions limit the token to the audience ${audience} and ${WEB_IDENTITY_TOKEN_SECONDS} s, and its subject is this role.`,
      });
    } else if (azure.secretArn) {
      permissions.push({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [azure.secretArn],
      });
    }
  }
  if (who === 'kubernetes') {
    const tokens = config.kubernetes.clusters.flatMap((c) =>
      'secretArn' in c.token ? [c.token.secretArn] : [],
    );
    if (tokens.length > 0) {
      permissions.push({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [...new Set(tokens)],
      });
    }
  }
  return permissions;
}
