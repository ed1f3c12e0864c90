import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-logging-enabled.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const SERVICE = 'logging.googleapis.com/kubernetes';
const COMPONENTS = ['SYSTEM_COMPONENTS', 'WORKLOADS'];

const rows: Row[] = [
  [
    'passes-when-logging-service-set-and-no-logging-config',
    { loggingService: SERVICE, loggingConfig: null },
    'PASS',
  ],
  [
    'passes-when-components-are-enabled',
    {
      loggingService: SERVICE,
      loggingConfig: { componentConfig: { enableComponents: COMPONENTS } },
    },
    'PASS',
  ],
  [
    'passes-when-logging-config-has-no-component-config',
    { loggingService: SERVICE, loggingConfig: { componentConfig: null } },
    'PASS',
  ],
  ['passes-when-logging-service-missing', { loggingService: '', loggingConfig: null }, 'PASS'],
  ['fails-when-logging-service-none', { loggingService: 'none', loggingConfig: null }, 'FAIL'],
  [
    'fails-when-logging-service-none-despite-components',
    {
      loggingService: 'none',
      loggingConfig: { componentConfig: { enableComponents: COMPONENTS } },
    },
    'FAIL',
  ],
  [
    // Node client form: an empty list; proto3 JSON form: `componentConfig: {}`, the list missing.
    'fails-when-component-config-enables-no-components',
    { loggingService: SERVICE, loggingConfig: { componentConfig: { enableComponents: [] } } },
    'FAIL',
  ],
];

describe.each(FORMS)('gke-logging-enabled (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-logging-enabled passes-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'PASS',
    evidence: [
      { path: 'loggingService', value: 'logging.googleapis.com' },
      { path: 'loggingConfig.componentConfig.enableComponents', value: null },
    ],
  });
});
