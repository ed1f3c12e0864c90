/**
 * Customer managed policies: `decodePolicyDocument` (IAM's URL-encoded JSON, an already parsed
 * object, garbage) and how the collector stores each policy with its default `Document`, a policy
 * it cannot read becoming an error about that policy alone.
 */
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  type ManagedPolicyDetail,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  collectIam,
  decodePolicyDocument,
  PolicyDocumentUnreadable,
} from '../../functions/collect/aws/iam.ts';
import { type Collected, CollectRuntime } from '../../functions/collect/runtime.ts';
import { fixture } from '../fixtures/load.ts';
import { FAKE_CREDENTIALS } from '../helpers/moto.ts';

const ACCOUNT = '400000000031';
const FULL_ADMIN = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
};

/** IAM's encoding of a document: RFC 3986 percent-encoding of the JSON text. */
const encode = (doc: unknown) => encodeURIComponent(JSON.stringify(doc, null, 4));

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded JSON of a real GetAccountAuthorizationDetails answer', () => {
    const wire = fixture('aws/iam/get-account-authorization-details.wire.json');
    const version = wire.Policies[0].PolicyVersionList[0];
    expect(version.Document).toMatch(/^%7B/);
    expect(decodePolicyDocument(version.Document)).toEqual({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: [
          'iam:CreatePolicy',
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:GetPolicy',
          'iam:GetPolicyVersion',
          'iam:ListPolicies',
          'iam:ListPolicyVersions',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: '*',
      },
    });
  });

  it('decodes reserved characters in values: spaces, slashes, colons, quotes, percent signs', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read "reports" 100%',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::audit bucket/reports/*',
          Condition: { StringLike: { 's3:prefix': ['a+b', 'é'] } },
        },
      ],
    };
    expect(decodePolicyDocument(encode(doc))).toEqual(doc);
  });

  it('decodes a document that is plain JSON (nothing to unescape)', () => {
    expect(decodePolicyDocument(JSON.stringify(FULL_ADMIN))).toEqual(FULL_ADMIN);
  });

  it.each([
    ['an object', FULL_ADMIN],
    ['null', null],
    ['undefined', undefined],
  ])('passes %s through unchanged (an SDK or a fixture that already parsed it)', (_what, doc) => {
    expect(decodePolicyDocument(doc)).toBe(doc);
  });

  it.each([
    ['not JSON', 'Allow everything'],
    ['a broken percent escape', '%7B%22Version%22%3A%2'],
    ['truncated JSON', encodeURIComponent('{"Version":"2012-10-17","Statement":[')],
    ['an empty string', ''],
  ])('refuses %s with PolicyDocumentUnreadable, keeping the cause', (_what, doc) => {
    const error = thrownBy(() => decodePolicyDocument(doc));
    expect(error).toBeInstanceOf(PolicyDocumentUnreadable);
    expect(error.name).toBe('PolicyDocumentUnreadable');
    expect(error.message).toMatch(/^the policy document is not URL-encoded JSON: /);
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('collectIam: customer managed policies', () => {
  const iamMock = mockClient(IAMClient);
  let rt: CollectRuntime | undefined;

  afterEach(() => {
    rt?.close();
    iamMock.reset();
  });

  const policy = (name: string, over: Partial<ManagedPolicyDetail> = {}): ManagedPolicyDetail => ({
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    Path: '/',
    DefaultVersionId: 'v2',
    AttachmentCount: 1,
    IsAttachable: true,
    CreateDate: new Date(Date.UTC(2026, 0, 2)),
    UpdateDate: new Date(Date.UTC(2026, 0, 3)),
    PolicyVersionList: [
      {
        VersionId: 'v1',
        IsDefaultVersion: false,
        Document: encode({ Version: '2012-10-17', Statement: [] }),
        CreateDate: new Date(Date.UTC(2026, 0, 2)),
      },
      {
        VersionId: 'v2',
        IsDefaultVersion: true,
        Document: encode(FULL_ADMIN),
        CreateDate: new Date(Date.UTC(2026, 0, 3)),
      },
    ],
    ...over,
  });

  async function collect(policies: ManagedPolicyDetail[]): Promise<Collected> {
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: {} });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode('user,arn\n'),
      GeneratedTime: new Date(0),
    });
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolves({ Policies: policies, IsTruncated: false });
    rt = new CollectRuntime({
      concurrency: 4,
      callTimeoutMs: 1000,
      maxAttempts: 1,
      budgetMs: 10_000,
    });
    const out: Collected = { resources: [], errors: [] };
    const iam = new IAMClient({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    await collectIam(rt, iam, { account: ACCOUNT, partition: 'aws', reportWaitMs: 1000 }, out);
    return out;
  }

  it('stores each policy with its default version parsed as Document, dates as ISO strings', async () => {
    const out = await collect([policy('FullAdmin')]);
    expect(out.errors).toEqual([]);
    const stored = out.resources.filter((r) => r.type === 'aws.iam.policy');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: 'aws',
      id: `arn:aws:iam::${ACCOUNT}:policy/FullAdmin`,
      scope: { account: ACCOUNT },
      data: {
        PolicyName: 'FullAdmin',
        DefaultVersionId: 'v2',
        AttachmentCount: 1,
        CreateDate: '2026-01-02T00:00:00.000Z',
        Document: FULL_ADMIN,
      },
    });
    const versions = (stored[0]!.data as { PolicyVersionList: Array<{ Document: unknown }> })
      .PolicyVersionList;
    // Every version's document is parsed, not only the default one.
    expect(versions.map((v) => v.Document)).toEqual([
      { Version: '2012-10-17', Statement: [] },
      FULL_ADMIN,
    ]);
    // Filtered to customer managed policies.
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand)[0]!.args[0].input).toEqual({
      Filter: ['LocalManagedPolicy'],
      MaxItems: 1000,
    });
  });

  it('makes a policy whose document is garbage an error about that policy, and keeps the others', async () => {
    const broken = policy('Broken', {
      PolicyVersionList: [{ VersionId: 'v2', IsDefaultVersion: true, Document: '%7B%22Vers' }],
    });
    const out = await collect([policy('Good'), broken]);
    expect(out.resources.filter((r) => r.type === 'aws.iam.policy').map((r) => r.id)).toEqual([
      `arn:aws:iam::${ACCOUNT}:policy/Good`,
    ]);
    expect(out.errors).toEqual([
      {
        provider: 'aws',
        scope: { account: ACCOUNT },
        types: ['aws.iam.policy'],
        operation: 'iam:GetAccountAuthorizationDetails',
        message: expect.stringMatching(
          /^PolicyDocumentUnreadable: the policy document is not URL-encoded JSON: /,
        ),
        resourceId: `arn:aws:iam::${ACCOUNT}:policy/Broken`,
      },
    ]);
    // The other IAM types are unaffected.
    expect(out.resources.map((r) => r.type).sort()).toEqual([
      'aws.iam.account-summary',
      'aws.iam.credential-report',
      'aws.iam.password-policy',
      'aws.iam.policy',
    ]);
  });

  it('makes a policy whose default version is not listed an error about that policy', async () => {
    const out = await collect([
      policy('Orphan', { DefaultVersionId: 'v9', PolicyVersionList: [] }),
    ]);
    expect(out.resources.some((r) => r.type === 'aws.iam.policy')).toBe(false);
    expect(out.errors).toEqual([
      expect.objectContaining({
        types: ['aws.iam.policy'],
        resourceId: `arn:aws:iam::${ACCOUNT}:policy/Orphan`,
        message: 'PolicyDocumentUnreadable: default version v9 is not listed',
      }),
    ]);
  });

  it('finds the default version by IsDefaultVersion when DefaultVersionId is missing', async () => {
    const out = await collect([policy('NoDefaultId', { DefaultVersionId: undefined })]);
    expect(out.errors).toEqual([]);
    expect(out.resources.find((r) => r.type === 'aws.iam.policy')?.data).toMatchObject({
      Document: FULL_ADMIN,
    });
  });
});
