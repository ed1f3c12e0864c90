/** The Kubernetes object checks (`kubernetes.*`), sorted by id. */
import type { AnyCheck } from '../types.ts';
import k8sClusterAdminRestricted from './k8s-cluster-admin-restricted.ts';
import k8sNamespaceDefaultDenyEgress from './k8s-namespace-default-deny-egress.ts';
import k8sNamespaceDefaultDenyIngress from './k8s-namespace-default-deny-ingress.ts';
import k8sNamespacePodSecurityEnforced from './k8s-namespace-pod-security-enforced.ts';
import k8sNoAnonymousBindings from './k8s-no-anonymous-bindings.ts';
import k8sRbacNoWildcards from './k8s-rbac-no-wildcards.ts';
import k8sSecretsAccessRestricted from './k8s-secrets-access-restricted.ts';
import k8sWorkloadImagesPinned from './k8s-workload-images-pinned.ts';
import k8sWorkloadNoAddedCapabilities from './k8s-workload-no-added-capabilities.ts';
import k8sWorkloadNoHostNamespaces from './k8s-workload-no-host-namespaces.ts';
import k8sWorkloadNoHostPorts from './k8s-workload-no-host-ports.ts';
import k8sWorkloadNoHostpath from './k8s-workload-no-hostpath.ts';
import k8sWorkloadNoPrivilegeEscalation from './k8s-workload-no-privilege-escalation.ts';
import k8sWorkloadNoSecretLiterals from './k8s-workload-no-secret-literals.ts';
import k8sWorkloadNotDefaultServiceAccount from './k8s-workload-not-default-service-account.ts';
import k8sWorkloadNotPrivileged from './k8s-workload-not-privileged.ts';
import k8sWorkloadRunsAsNonRoot from './k8s-workload-runs-as-non-root.ts';
import k8sWorkloadTokenNotAutomounted from './k8s-workload-token-not-automounted.ts';
import k8sWorkloadTrustedRegistries from './k8s-workload-trusted-registries.ts';

export const kubernetesChecks: readonly AnyCheck[] = [
  k8sClusterAdminRestricted,
  k8sNamespaceDefaultDenyEgress,
  k8sNamespaceDefaultDenyIngress,
  k8sNamespacePodSecurityEnforced,
  k8sNoAnonymousBindings,
  k8sRbacNoWildcards,
  k8sSecretsAccessRestricted,
  k8sWorkloadImagesPinned,
  k8sWorkloadNoAddedCapabilities,
  k8sWorkloadNoHostNamespaces,
  k8sWorkloadNoHostPorts,
  k8sWorkloadNoHostpath,
  k8sWorkloadNoPrivilegeEscalation,
  k8sWorkloadNoSecretLiterals,
  k8sWorkloadNotDefaultServiceAccount,
  k8sWorkloadNotPrivileged,
  k8sWorkloadRunsAsNonRoot,
  k8sWorkloadTokenNotAutomounted,
  k8sWorkloadTrustedRegistries,
];
