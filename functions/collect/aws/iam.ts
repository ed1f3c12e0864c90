/**
 * Account-level IAM, read once per account: GetAccountSummary, GetAccountPasswordPolicy
 * (NoSuchEntity means the account has none: `null`), the credential report, and the customer
 * managed policies of GetAccountAuthorizationDetails with their default document parsed.
 */
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  type ManagedPolicyDetail,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../checks/types.ts';
import { AWS_IAM_TYPES } from '../resource-types.ts';
import {
  attempt,
  type Collected,
  type CollectRuntime,
  failureText,
  MalformedPage,
  readPages,
  toWire,
} from '../runtime.ts';
import { readCredentialReport } from './credential-report.ts';

export { AWS_IAM_TYPES };

/** A policy document could not be decoded: the policy's findings are ERROR. */
export class PolicyDocumentUnreadable extends Error {
  override readonly name = 'PolicyDocumentUnreadable';
}

/**
 * A policy version's document as JSON: IAM returns it URL-encoded (RFC 3986) in
 * GetAccountAuthorizationDetails.
 *
 * @example decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D') // { Version: '2012-10-17' }
 */
export function decodePolicyDocument(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(decodeURIComponent(document));
  } catch (cause) {
    throw new PolicyDocumentUnreadable(
      `the policy document is not URL-encoded JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** A customer managed policy as CONTRACTS §1 stores it: the item, plus its default `Document`. */
function policyData(p: ManagedPolicyDetail): Record<string, unknown> {
  const isDefault = (v: { VersionId?: string; IsDefaultVersion?: boolean }) =>
    p.DefaultVersionId ? v.VersionId === p.DefaultVersionId : !!v.IsDefaultVersion;
  // The default document must decode; another version that does not is kept as IAM sent it.
  const versions = (p.PolicyVersionList ?? []).map((v) => {
    if (isDefault(v)) return { ...v, Document: decodePolicyDocument(v.Document) };
    try {
      return { ...v, Document: decodePolicyDocument(v.Document) };
    } catch {
      return v;
    }
  });
  const def = versions.find(isDefault);
  if (!def) {
    throw new PolicyDocumentUnreadable(`default version ${p.DefaultVersionId} is not listed`);
  }
  return toWire({ ...p, PolicyVersionList: versions, Document: def.Document }) as Record<
    string,
    unknown
  >;
}

/**
 * Reads the account's IAM into `out`: each read that fails becomes an error for its own type,
 * the others still land.
 *
 * @example await collectIam(rt, iam, { account: '111122223333', partition: 'aws', reportWaitMs: 60_000 }, out);
 */
export async function collectIam(
  rt: CollectRuntime,
  iam: IAMClient,
  at: { account: string; partition: string; reportWaitMs: number },
  out: Collected,
): Promise<void> {
  const scope = { account: at.account };
  const id = `arn:${at.partition}:iam::${at.account}:root`;
  const push = (type: string, data: unknown) =>
    out.resources.push({ provider: 'aws', type, id, scope, data } as Resource);
  const on = (type: string, operation: string) => ({
    provider: 'aws' as const,
    scope,
    types: [type],
    operation,
  });

  const summary = attempt(
    out,
    async () => {
      const r = await rt.call('iam:GetAccountSummary', (s) =>
        iam.send(new GetAccountSummaryCommand({}), { abortSignal: s }),
      );
      push('aws.iam.account-summary', toWire(r.SummaryMap ?? {}));
    },
    on('aws.iam.account-summary', 'iam:GetAccountSummary'),
  );

  const passwordPolicy = attempt(
    out,
    async () => {
      try {
        const r = await rt.call('iam:GetAccountPasswordPolicy', (s) =>
          iam.send(new GetAccountPasswordPolicyCommand({}), { abortSignal: s }),
        );
        push('aws.iam.password-policy', toWire(r.PasswordPolicy ?? {}));
      } catch (err) {
        if ((err as Error).name !== 'NoSuchEntityException') throw err;
        push('aws.iam.password-policy', null);
      }
    },
    on('aws.iam.password-policy', 'iam:GetAccountPasswordPolicy'),
  );

  const report = attempt(
    out,
    async () =>
      push('aws.iam.credential-report', await readCredentialReport(rt, iam, at.reportWaitMs)),
    on('aws.iam.credential-report', 'iam:GetCredentialReport'),
  );

  const policies = (async () => {
    const items = await readPages(
      rt,
      out,
      on('aws.iam.policy', 'iam:GetAccountAuthorizationDetails'),
      (marker, s) =>
        iam.send(
          new GetAccountAuthorizationDetailsCommand({
            Filter: ['LocalManagedPolicy'],
            MaxItems: 1000,
            ...(marker ? { Marker: marker } : {}),
          }),
          { abortSignal: s },
        ),
      (page) => {
        if (page.IsTruncated && !page.Marker) {
          throw new MalformedPage(
            'iam:GetAccountAuthorizationDetails answered IsTruncated without a Marker',
          );
        }
        return [page.Policies, page.IsTruncated ? page.Marker : undefined] as const;
      },
    );
    for (const p of items ?? []) {
      const arn = p.Arn ?? `arn:${at.partition}:iam::${at.account}:policy/${p.PolicyName}`;
      try {
        out.resources.push({
          provider: 'aws',
          type: 'aws.iam.policy',
          id: arn,
          scope,
          data: policyData(p),
        });
      } catch (err) {
        out.errors.push({
          ...on('aws.iam.policy', 'iam:GetAccountAuthorizationDetails'),
          message: failureText(err),
          resourceId: arn,
        });
      }
    }
  })();

  await Promise.all([summary, passwordPolicy, report, policies]);
}
