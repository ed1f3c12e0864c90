/**
 * The Azure RBAC actions the Azure collector needs, as data: the README lists them, the tests
 * check that a scan sends nothing else, and the app registration is granted exactly these. All
 * are reads (`.../read`): the built-in **Reader** role (every read action) grants all of them, at
 * each subscription or at a management group above them. Reader does not grant
 * `Microsoft.ContainerService/managedClusters/listClusterUserCredential/action` or any other
 * action: the Azure collector reads cluster configuration, never cluster credentials. The
 * Kubernetes collector alone calls that action ({@link AKS_KUBERNETES_ACTIONS}), and only for
 * clusters with Microsoft Entra ID, whose user kubeconfig holds the API server and CA, no secret.
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
  // The Kubernetes collector's, for Entra-integrated AKS clusters (server and CA, no secret).
  ManagedClusters_ListClusterUserCredentials: '2026-06-01',
} as const;

/**
 * What the Kubernetes collector needs on an Entra-integrated AKS cluster, besides Kubernetes read
 * access inside it: the user kubeconfig (built-in role Azure Kubernetes Service Cluster User Role).
 */
export const AKS_KUBERNETES_ACTIONS = [
  'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
] as const;
