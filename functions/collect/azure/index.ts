/** The Azure collector's public API: the collector, its client factory and what they need. */
export {
  ArmAnswerUnreadable,
  type ArmPageRequest,
  ArmRequestFailed,
  AzureAuthenticationFailed,
  type AzureClientFactory,
  type AzureDeps,
  azureClientFactory,
} from './clients.ts';
export {
  AZURE_TYPES,
  type AzureScanUnit,
  azureCollector,
  collectAzureUnit,
  planAzure,
} from './collector.ts';
export {
  AzureCredentialUnavailable,
  federatedAudience,
  PUBLIC_FEDERATION_AUDIENCE,
} from './credentials.ts';
export { AZURE_OPERATIONS, AZURE_READ_ACTIONS, AZURE_READER_ROLE } from './permissions.ts';
