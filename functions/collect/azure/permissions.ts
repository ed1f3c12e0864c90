/**
 * The Azure RBAC actions the Azure collector needs, as data: the README lists them, the tests
 * check that a scan sends nothing else, and the app registration is granted exactly these. All
 * are reads (`.../read`): the built-in **Reader** role (every read action) grants all of them, at
 * each subscription or at a management group above them. Reader does not grant
 * `Microsoft.ContainerService/managedClusters/listClusterUserCredential/action` or any other
 * action: the collector reads cluster configuration, never cluster credentials.
 */

/** What the identity must be allowed in every scanned subscription. */
export const AZURE_READ_ACTIONS = [
  // Subscriptions_List (only for `subscriptions: all`; every identity can list what it can see).
  'Microsoft.Resources/subscriptions/read',
  // ManagedClusters_List
  'Microsoft.ContainerService/managedClusters/read',
  // RoleAssignments_ListForScope
  'Microsoft.Authorization/roleAssignments/read',
  // RoleDefinitions_List
  'Microsoft.Authorization/roleDefinitions/read',
] as const;

/** The built-in role that suffices: Reader (role definition id, the same in every tenant). */
export const AZURE_READER_ROLE = {
  name: 'Reader',
  id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
} as const;

/** The ARM operations (REST spec operation ids) the collector calls, with their api-versions. */
export const AZURE_OPERATIONS = {
  Subscriptions_List: '2022-12-01',
  ManagedClusters_List: '2026-06-01',
  RoleAssignments_ListForScope: '2022-04-01',
  RoleDefinitions_List: '2022-04-01',
} as const;
