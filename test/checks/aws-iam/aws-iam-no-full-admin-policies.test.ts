import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-no-full-admin-policies.ts';
import { fixture } from '../../fixtures/load.ts';
import { runCheck } from '../harness.ts';
import { decodePolicyDocument, iamPolicy } from './helpers.ts';

const details = fixture('aws/iam/awscli_get-account-authorization-details.cli-output.json');
/** Customer managed policy whose `Statement` is an object, Action a list, Resource "*". */
const managed = details.Policies[0];
const encodedAllowAll = fixture(
  'aws/iam/c7n_placebo/test_iam_policy_allow_all.iam.GetPolicyVersion_1.json',
).data.PolicyVersion.Document as string;
const wire = fixture('aws/iam/get-account-authorization-details.wire.json').Policies[0];

const doc = (Statement: unknown) => ({ Version: '2012-10-17', Statement });
const ADMIN = { Effect: 'Allow', Action: '*', Resource: '*' };

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-on-the-aws-cli-example-object-statement', undefined, 'PASS'],
  ['fails-when-object-statement-allows-star-on-star', doc(ADMIN), 'FAIL'],
  ['fails-when-array-statement-allows-star-on-star', doc([ADMIN]), 'FAIL'],
  [
    'fails-when-star-is-inside-action-and-resource-arrays',
    doc([{ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['arn:aws:s3:::b', '*'] }]),
    'FAIL',
  ],
  [
    'fails-when-the-second-statement-is-full-admin',
    doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, ADMIN]),
    'FAIL',
  ],
  [
    'fails-on-the-recorded-allow-all-document-once-decoded',
    decodePolicyDocument(encodedAllowAll),
    'FAIL',
  ],
  ['passes-when-the-star-statement-is-a-deny', doc([{ ...ADMIN, Effect: 'Deny' }]), 'PASS'],
  [
    'passes-when-action-is-star-on-one-resource',
    doc([{ ...ADMIN, Resource: 'arn:aws:s3:::b/*' }]),
    'PASS',
  ],
  ['passes-when-service-wildcard-on-star', doc([{ ...ADMIN, Action: 'ec2:*' }]), 'PASS'],
  [
    'passes-when-not-action-is-used-instead-of-action',
    doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
    'PASS',
  ],
  ['passes-when-the-document-has-no-statement', { Version: '2012-10-17' }, 'PASS'],
];

describe('aws-iam-no-full-admin-policies', () => {
  it.each(cases)('%s', (_name, document, expected) => {
    const policy = iamPolicy(managed, document);
    const findings = runCheck(check, [policy]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resourceId).toBe(managed.Arn);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain(managed.PolicyName);
  });

  it('fails-even-when-the-document-reaches-it-still-url-encoded', () => {
    const policy = iamPolicy(managed);
    const raw = { ...policy, data: { ...(policy.data as object), Document: encodedAllowAll } };
    expect(runCheck(check, [raw])[0]?.status).toBe('FAIL');
  });

  it('skips-a-policy-attached-nowhere', () => {
    const policy = iamPolicy({ ...managed, AttachmentCount: 0 }, doc(ADMIN));
    expect(runCheck(check, [policy])).toEqual([]);
  });

  it('cites-the-offending-statement', () => {
    const findings = runCheck(check, [
      iamPolicy(managed, doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, ADMIN])),
    ]);
    expect(findings[0]?.evidence).toEqual([
      { path: 'AttachmentCount', value: 1 },
      { path: 'Document.Statement.1', value: ADMIN },
    ]);
    expect(findings[0]?.message).toContain('Document.Statement.1');
  });

  it('reads-the-wire-form-decoded-by-the-helper-like-the-cli-form', () => {
    const [cli] = runCheck(check, [iamPolicy(managed)]);
    const [fromWire] = runCheck(check, [iamPolicy(wire)]);
    expect(fromWire).toEqual(cli);
  });
});
