/**
 * What the GCP collector's identity must be granted, as data: the README lists it and the tests
 * check that a scan calls nothing else. Every permission reads; none changes anything.
 */

/** Per scanned project (or once on the folder or organization, inherited by every project). */
export const PROJECT_PERMISSIONS = [
  // roles/container.clusterViewer
  'container.clusters.list',
  // roles/iam.securityReviewer
  'resourcemanager.projects.getIamPolicy',
  // Only when the project's Kubernetes Engine API is disabled: its number, to tell that the
  // SERVICE_DISABLED error is about this project. Included in roles/browser (Google's role
  // reference lists it: resourcemanager.folders.get/list, organizations.get, projects.get,
  // getIamPolicy, list) and, from our knowledge of the role, in roles/iam.securityReviewer
  // (not checked against the live role reference here). Without it, such a project stays an
  // error.
  'resourcemanager.projects.get',
] as const;

/** On the folder or organization, when `projects` is `{ folder }` or `{ organization }`. */
export const DISCOVERY_PERMISSIONS = [
  // roles/browser
  'resourcemanager.folders.list',
  'resourcemanager.projects.list',
] as const;

/** The predefined roles that hold exactly-enough of the permissions above. */
export const GCP_ROLES = {
  project: ['roles/container.clusterViewer', 'roles/iam.securityReviewer'],
  discovery: ['roles/browser'],
  /**
   * Workload identity federation with impersonation: the AWS role's principal
   * (`principalSet://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/attribute.aws_role/<role>`)
   * on the service account.
   */
  federation: ['roles/iam.workloadIdentityUser'],
} as const;

/** The REST calls a scan makes (method ids), for the tests' "nothing else" check. */
export const GCP_OPERATIONS = [
  'container.projects.locations.clusters.list',
  'cloudresourcemanager.projects.getIamPolicy',
  'cloudresourcemanager.projects.get',
  'cloudresourcemanager.projects.list',
  'cloudresourcemanager.folders.list',
] as const;
