/**
 * The audience of the token a federated Azure credential exchanges: SDK-free, so that the CDK
 * construct grants STS `GetWebIdentityToken` for exactly the audience the collector asks for.
 */
import type { AzureTargets } from '../../config/scan-config.ts';

/** The audience Entra documents for federated credentials in Azure's public cloud. */
export const PUBLIC_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/** The audience Entra documents for federated credentials in each sovereign cloud, by authority host. */
const SOVEREIGN_FEDERATION_AUDIENCES: ReadonlyMap<string, string> = new Map([
  ['login.microsoftonline.us', 'api://AzureADTokenExchangeUSGov'],
  ['login.chinacloudapi.cn', 'api://AzureADTokenExchangeChina'],
]);

/**
 * The audience the federated credential asks its token for, or `undefined` for a credential that
 * is not federated. The configured audience, except that the public cloud's
 * `api://AzureADTokenExchange` (the config's default) becomes the sovereign cloud's own when
 * `cloud.authorityHost` is `login.microsoftonline.us` (Azure US Government:
 * `api://AzureADTokenExchangeUSGov`) or `login.chinacloudapi.cn` (Azure operated by 21Vianet:
 * `api://AzureADTokenExchangeChina`). Any other audience is used as configured.
 *
 * @example federatedAudience({ credentials: { type: 'federated', audience: 'api://AzureADTokenExchange' }, cloud: { authorityHost: 'https://login.microsoftonline.us', resourceManager: 'https://management.usgovcloudapi.net' } }) // 'api://AzureADTokenExchangeUSGov'
 */
export function federatedAudience(
  targets: Pick<AzureTargets, 'credentials' | 'cloud'>,
): string | undefined {
  const c = targets.credentials;
  if (c.type !== 'federated') return undefined;
  if (c.audience !== PUBLIC_FEDERATION_AUDIENCE) return c.audience;
  let host: string;
  try {
    host = new URL(targets.cloud.authorityHost).hostname.toLowerCase();
  } catch {
    return c.audience;
  }
  return SOVEREIGN_FEDERATION_AUDIENCES.get(host) ?? c.audience;
}
