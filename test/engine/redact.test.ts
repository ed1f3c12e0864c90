import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { redactInventory, redactObject, redactOwned } from '../../functions/engine/redact.ts';
import { k8s } from '../checks/harness.ts';

const CLUSTER = '//container.googleapis.com/projects/shop/locations/europe-west1/clusters/pay';
const SECRET = 'hunter2-do-not-archive';

const container = (env: unknown[]) => ({ name: 'app', image: 'nginx', env });

describe('redaction', () => {
  it.each([
    ['Pod', { spec: { containers: [container([{ name: 'API_KEY', value: SECRET }])] } }],
    [
      'Deployment',
      {
        spec: {
          template: {
            spec: { initContainers: [container([{ name: 'db_password', value: SECRET }])] },
          },
        },
      },
    ],
    [
      'CronJob',
      {
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  ephemeralContainers: [container([{ name: 'GITHUB_TOKEN', value: SECRET }])],
                },
              },
            },
          },
        },
      },
    ],
    [
      'StatefulSet',
      {
        spec: {
          template: { spec: { containers: [container([{ name: 'PRIVATE_KEY', value: SECRET }])] } },
        },
      },
    ],
  ])(
    'replaces secret-looking literals in a %s, even when the object carries no kind',
    (kind, body) => {
      const withKind = k8s(CLUSTER, {
        apiVersion: 'v1',
        kind,
        metadata: { name: 'x', namespace: 'shop' },
        ...body,
      });
      const withoutKind = {
        ...withKind,
        data: { metadata: { name: 'x', namespace: 'shop' }, ...body },
      };
      const inv: Inventory = {
        schema: 'pci-posture/inventory@1',
        collectedAt: '2026-11-26T02:00:00Z',
        resources: [withKind, withoutKind],
        errors: [],
      };
      const out = JSON.stringify(redactInventory(inv));
      expect(out).not.toContain(SECRET);
      expect(out.match(/\[REDACTED\]/g)).toHaveLength(2);
      expect(JSON.stringify(inv)).toContain(SECRET); // the input is not modified
    },
  );

  it('keeps non-secret literals, references and empty values, and returns the same object when nothing changes', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          container([
            { name: 'LOG_LEVEL', value: 'debug' },
            { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            { name: 'TOKEN', value: '' },
          ]),
        ],
      },
    };
    expect(redactObject(pod)).toBe(pod);
  });

  it('drops managedFields and the last-applied annotation, which can hold whole manifests', () => {
    const pod = {
      kind: 'Pod',
      metadata: {
        name: 'p',
        managedFields: [{ manager: 'kubectl' }],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"value":"${SECRET}"}`,
          team: 'pay',
        },
      },
      spec: { containers: [] },
    };
    expect(redactObject(pod)).toEqual({
      kind: 'Pod',
      metadata: { name: 'p', annotations: { team: 'pay' } },
      spec: { containers: [] },
    });
  });
});

describe("redaction in place (a collector's own parsed page)", () => {
  it('changes the object itself, with the same result as the copying redaction', () => {
    const make = () => ({
      kind: 'Pod',
      metadata: {
        name: 'web',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'pay' },
      },
      spec: { containers: [container([{ name: 'API_KEY', value: SECRET }])] },
    });
    const original = make();
    const copied = redactObject(make());
    const owned = redactOwned(original);
    expect(owned).toBe(original);
    expect(owned).toEqual(copied);
    expect(JSON.stringify(owned)).not.toContain(SECRET);
    expect(owned.metadata).toEqual({ name: 'web', annotations: { team: 'pay' } });
  });
});
