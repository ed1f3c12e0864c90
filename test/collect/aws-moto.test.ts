/**
 * The AWS collector end to end against moto: `collectScan` over an AWS Organization of three
 * accounts and two regions (test/helpers/moto-estate.ts). It checks the inventory against
 * CONTRACTS §1, the scan units and the credentials each account is read with, the collection
 * errors, the API calls per operation, the account selection (`excludeAccounts`, a list,
 * `current`), and then the EKS and IAM findings that `evaluate` gives on what was collected.
 *
 * Time: moto's credential report dates are the real creation times, so the main scan runs with
 * `now = builtAt + 100 days` (the estate's keys and passwords are then 100 days old at
 * `collectedAt`, which is what the 90-day rules compare against).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import { MEMBER_ROLE_ACTIONS, SCANNER_ACTIONS } from '../../functions/collect/aws/permissions.ts';
import { collectScan, runtimeSettings, type ScanResult } from '../../functions/collect/scan.ts';
import { scanConfigSchema } from '../../functions/config/scan-config.ts';
import { type Evaluation, evaluate, type Finding } from '../../functions/engine/evaluate.ts';
import { FAKE_CREDENTIALS } from '../helpers/moto.ts';
import {
  buildMotoEstate,
  ESTATE_REGIONS,
  iamRoot,
  LATER,
  type LoggedCall,
  type MotoEstate,
  motoCollectorClients,
  motoEndpoints,
  READ_ONLY_ROLE,
} from '../helpers/moto-estate.ts';

const MANAGEMENT = '300000000001';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

let estate: MotoEstate;

interface Scanned {
  result: ScanResult;
  inventory: Inventory;
  log: LoggedCall[];
  /** The units in the order they finished (`aws <account>`). */
  units: string[];
}

/** The scan config for `aws` (regions and moto endpoints filled in). */
function scanConfig(aws: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  return scanConfigSchema().parse({
    aws: { regions: [...ESTATE_REGIONS], endpoints: motoEndpoints(estate.endpoint), ...aws },
    kubernetes: { enabled: false },
    ...rest,
  });
}

async function scan(
  aws: Record<string, unknown>,
  rest: Record<string, unknown> = {},
): Promise<Scanned> {
  const config = scanConfig(aws, rest);
  const log: LoggedCall[] = [];
  const units: string[] = [];
  const result = await collectScan(config, {
    collectors: await allCollectors(config, {
      aws: motoCollectorClients(MANAGEMENT, log)(config.aws!, runtimeSettings(config)),
    }),
    now: () => new Date(estate.builtAt.getTime() + LATER.ms),
    onProgress: (p) => units.push(p.unit),
  });
  return { result, inventory: result.inventory, log, units };
}

const ofType = (inv: Inventory, type: string) => inv.resources.filter((r) => r.type === type);
const byId = (inv: Inventory, type: string, id: string) =>
  inv.resources.find((r) => r.type === type && r.id === id);
const accountsIn = (s: Scanned) =>
  new Set([
    ...s.inventory.resources.map((r) => r.scope.account),
    ...s.inventory.errors.map((e) => e.scope.account),
    ...s.log.map((c) => c.account),
  ]);

/** Every key anywhere in a JSON value, and whether a non-JSON object (a Date, a Buffer) is in it. */
function walk(value: unknown): { keys: Set<string>; foreign: unknown[] } {
  const keys = new Set<string>();
  const foreign: unknown[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) foreign.push(v);
      for (const [k, x] of Object.entries(v)) {
        keys.add(k);
        visit(x);
      }
    }
  };
  visit(value);
  return { keys, foreign };
}

let org: Scanned;

beforeAll(async () => {
  estate = await buildMotoEstate(inject('motoEndpoint'), MANAGEMENT);
  // First scan of this file's estate: moto's first GenerateCredentialReport per account answers
  // STARTED, the next COMPLETE, as IAM does for an account without a recent report.
  org = await scan({ accounts: 'organization' });
}, 30_000);

describe('the inventory of an organization scan (CONTRACTS §1)', () => {
  it('is the inventory envelope, collected at the given clock, in plain JSON', () => {
    const inv = org.inventory;
    expect(inv.schema).toBe('pci-posture/inventory@1');
    const at = new Date(estate.builtAt.getTime() + LATER.ms).toISOString();
    expect(inv.collectedAt).toBe(at.replace(/\.\d{3}Z$/, 'Z'));
    // Only JSON: no Date or Uint8Array survives, and no SDK `$metadata`.
    const { keys, foreign } = walk(inv);
    expect(foreign).toEqual([]);
    expect(keys.has('$metadata')).toBe(false);
    expect(JSON.parse(JSON.stringify(inv))).toEqual(inv);
  });

  it('holds exactly the clusters and node groups built, ids = ARNs, scope {account, region}', () => {
    const inv = org.inventory;
    const clusters = ofType(inv, 'aws.eks.cluster');
    expect(clusters.map((r) => r.id).sort()).toEqual(
      Object.values(estate.clusters)
        .map((c) => c.arn)
        .sort(),
    );
    for (const c of Object.values(estate.clusters)) {
      const r = byId(inv, 'aws.eks.cluster', c.arn)!;
      expect(r.id).toBe(`arn:aws:eks:${c.region}:${c.account}:cluster/${c.name}`);
      expect(r.provider).toBe('aws');
      expect(r.scope).toEqual({ account: c.account, region: c.region });
      const data = r.data as { name: string; arn: string; createdAt: unknown };
      expect(data.name).toBe(c.name);
      expect(data.arn).toBe(c.arn);
      expect(data.createdAt).toMatch(ISO);
    }
    const nodegroups = ofType(inv, 'aws.eks.nodegroup');
    expect(nodegroups.map((r) => r.id).sort()).toEqual(
      Object.values(estate.nodegroups)
        .map((n) => n.arn)
        .sort(),
    );
    for (const n of Object.values(estate.nodegroups)) {
      const r = byId(inv, 'aws.eks.nodegroup', n.arn)!;
      expect(r.id).toMatch(
        new RegExp(
          `^arn:aws:eks:${n.region}:${n.account}:nodegroup/${n.cluster}/${n.name}/[0-9a-f-]{36}$`,
        ),
      );
      expect(r.scope).toEqual({ account: n.account, region: n.region });
      expect(r.data).toMatchObject({ nodegroupName: n.name, clusterName: n.cluster });
      expect((r.data as { createdAt: unknown }).createdAt).toMatch(ISO);
    }
    // moto has no add-ons to describe (ListAddons fails, see the errors).
    expect(ofType(inv, 'aws.eks.addon')).toEqual([]);
  });

  it('keeps the fields as DescribeCluster and DescribeNodegroup answered them', () => {
    const inv = org.inventory;
    const data = (key: keyof MotoEstate['clusters']) =>
      byId(inv, 'aws.eks.cluster', estate.clusters[key].arn)!.data as Record<string, unknown>;
    expect(data('payments')).toMatchObject({
      version: '1.28',
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      logging: {
        clusterLogging: [
          { types: ['api'], enabled: true },
          { types: ['audit', 'authenticator'], enabled: false },
        ],
      },
    });
    expect(data('payments').encryptionConfig).toEqual([]);
    expect(data('vault').encryptionConfig).toEqual([
      {
        resources: ['secrets'],
        provider: { keyArn: expect.stringMatching(/^arn:aws:kms:eu-west-1:300000000001:key\//) },
      },
    ]);
    // Sent without CIDRs, stored without CIDRs (moto fills in no default, real EKS would).
    expect(data('sandbox').resourcesVpcConfig).toEqual({
      subnetIds: expect.any(Array),
      endpointPublicAccess: true,
    });
    // moto drops accessConfig: vault was created with authenticationMode API.
    expect(data('vault').accessConfig).toBeUndefined();
    const ng = (name: string) =>
      byId(inv, 'aws.eks.nodegroup', estate.nodegroups[name]!.arn)!.data as Record<string, unknown>;
    expect(ng('payments-ssh-open').remoteAccess).toEqual({ ec2SshKey: 'ops-key' });
    expect(ng('sandbox-nodes').remoteAccess).toEqual({
      ec2SshKey: 'dev-key',
      sourceSecurityGroups: [],
    });
    // moto's default for a node group created without remote access (real EKS has none).
    expect(ng('vault-workers').remoteAccess).toEqual({ ec2SshKey: 'eksKeypair' });
  });

  it('holds account-level IAM of every account under arn:aws:iam::<account>:root, scope {account}', () => {
    const inv = org.inventory;
    for (const type of [
      'aws.iam.account-summary',
      'aws.iam.password-policy',
      'aws.iam.credential-report',
    ]) {
      const found = ofType(inv, type);
      expect(found.map((r) => r.id).sort()).toEqual(estate.accounts.map(iamRoot).sort());
      for (const r of found) {
        expect(r.id).toBe(iamRoot(r.scope.account!));
        expect(r.scope).toEqual({ account: r.scope.account });
      }
    }
    const summary = byId(inv, 'aws.iam.account-summary', iamRoot(estate.management))!.data;
    // GetAccountSummary's SummaryMap as moto counts the management account (4 users built).
    expect(summary).toMatchObject({ Users: 4, AccountAccessKeysPresent: 0, AccountMFAEnabled: 0 });
  });

  it('stores the password policy as read, and null for the account that has none', () => {
    const policy = (account: string) =>
      byId(org.inventory, 'aws.iam.password-policy', iamRoot(account))!.data;
    expect(policy(estate.management)).toMatchObject({
      MinimumPasswordLength: 8,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      PasswordReusePrevention: 2,
      MaxPasswordAge: 180,
    });
    expect(policy(estate.dev)).toBeNull();
    expect(policy(estate.prod)).toMatchObject({ MinimumPasswordLength: 14, MaxPasswordAge: 90 });
  });

  it('stores the credential report as {GeneratedTime, rows} with one row of string cells per user', () => {
    for (const account of estate.accounts) {
      const report = byId(org.inventory, 'aws.iam.credential-report', iamRoot(account))!.data as {
        GeneratedTime: string;
        rows: Record<string, unknown>[];
      };
      expect(Object.keys(report).sort()).toEqual(['GeneratedTime', 'rows']);
      expect(report.GeneratedTime).toMatch(ISO);
      const users = Object.values(estate.users).filter((u) => u.account === account);
      expect(report.rows.map((r) => r.arn).sort()).toEqual(users.map((u) => u.arn).sort());
      for (const row of report.rows) {
        // The 22 columns of IAM's CSV, every cell a string (booleans and dates as IAM wrote them).
        expect(Object.keys(row)).toHaveLength(22);
        for (const cell of Object.values(row)) expect(typeof cell).toBe('string');
      }
    }
    const rows = (
      byId(org.inventory, 'aws.iam.credential-report', iamRoot(estate.management))!.data as {
        rows: Record<string, string>[];
      }
    ).rows;
    const row = (user: string) => rows.find((r) => r.user === user)!;
    expect(row('alice')).toMatchObject({ password_enabled: 'true', mfa_active: 'false' });
    expect(row('bob')).toMatchObject({ password_enabled: 'true', mfa_active: 'true' });
    expect(row('ci-deployer')).toMatchObject({
      password_enabled: 'false',
      access_key_1_active: 'true',
    });
    expect(row('former-contractor')).toMatchObject({ access_key_1_active: 'false' });
  });

  it('stores customer managed policies only, each with its default version Document parsed', () => {
    const policies = ofType(org.inventory, 'aws.iam.policy');
    // MOTO_IAM_LOAD_MANAGED_POLICIES loads AWS managed policies: none of them is collected.
    expect(policies.map((r) => r.id).sort()).toEqual(
      Object.values(estate.policies)
        .map((p) => p.arn)
        .sort(),
    );
    for (const p of Object.values(estate.policies)) {
      const r = byId(org.inventory, 'aws.iam.policy', p.arn)!;
      expect(r.scope).toEqual({ account: p.account });
      const data = r.data as {
        Arn: string;
        AttachmentCount: number;
        DefaultVersionId: string;
        Document: { Version: string; Statement: unknown };
        PolicyVersionList: Array<{ Document: unknown; CreateDate: unknown }>;
      };
      // moto's GetAccountAuthorizationDetails leaves out PolicyName and PolicyId; the Arn names it.
      expect(data.Arn).toBe(p.arn);
      expect(data.AttachmentCount).toBe(p.attached ? 1 : 0);
      expect(data.Document.Version).toBe('2012-10-17');
      // The URL-encoded text of GetAccountAuthorizationDetails, decoded in every version.
      expect(data.PolicyVersionList[0]!.Document).toEqual(data.Document);
      expect(data.PolicyVersionList[0]!.CreateDate).toMatch(ISO);
    }
    const doc = (name: keyof MotoEstate['policies']) =>
      (
        byId(org.inventory, 'aws.iam.policy', estate.policies[name].arn)!.data as {
          Document: unknown;
        }
      ).Document;
    expect(doc('FullAdmin')).toEqual({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
    });
  });

  it('records exactly one eks:ListAddons error per cluster (moto answers 404 HTML), scoped to it', () => {
    const expected = Object.values(estate.clusters).map((c) => ({
      provider: 'aws',
      scope: { account: c.account, region: c.region, cluster: c.arn },
      types: ['aws.eks.addon'],
      operation: 'eks:ListAddons',
      // Named by the cluster, so two clusters' errors never merge into one region-wide name.
      resourceId: c.arn,
      message: expect.stringMatching(/^SyntaxError: .*\(HTTP 404\)$/),
    }));
    expect(org.inventory.errors).toHaveLength(expected.length);
    expect(org.inventory.errors).toEqual(expect.arrayContaining(expected));
    // No credentials or request details leak into messages.
    expect(JSON.stringify(org.inventory.errors)).not.toContain(FAKE_CREDENTIALS.accessKeyId);
  });

  it('finds nothing and records nothing in a region without clusters', () => {
    const prodEu = (r: { scope: Record<string, string> }) =>
      r.scope.account === estate.prod && r.scope.region === 'eu-west-1';
    expect(org.inventory.resources.filter(prodEu)).toEqual([]);
    expect(org.inventory.errors.filter(prodEu)).toEqual([]);
    expect(
      org.log.filter(
        (c) =>
          c.operation === 'eks:ListClusters' &&
          c.account === estate.prod &&
          c.region === 'eu-west-1',
      ),
    ).toHaveLength(1);
  });
});

describe('units, credentials and calls', () => {
  it('plans one unit per ACTIVE account of the organization, and never reads a SUSPENDED one', () => {
    expect(org.result.units).toBe(3);
    expect([...org.units].sort()).toEqual(estate.accounts.map((a) => `aws ${a}`));
    expect(estate.accounts).not.toContain(estate.closed);
    expect(accountsIn(org).has(estate.closed)).toBe(false);
    expect(JSON.stringify(org.log.map((c) => c.input))).not.toContain(estate.closed);
  });

  it('reads the management account with its own credentials and members through AssumeRole', () => {
    const assumed = org.log.filter((c) => c.operation === 'sts:AssumeRole');
    expect(assumed.map((c) => c.input.RoleArn).sort()).toEqual(
      [estate.dev, estate.prod].map((a) => `arn:aws:iam::${a}:role/${READ_ONLY_ROLE}`).sort(),
    );
    // AssumeRole is called by the management account, with the base credentials.
    for (const c of assumed) {
      expect(c.account).toBe(estate.management);
      expect(c.accessKeyId).toBe(FAKE_CREDENTIALS.accessKeyId);
    }
    for (const c of org.log) {
      if (c.account === estate.management) {
        expect(c.accessKeyId, c.operation).toBe(FAKE_CREDENTIALS.accessKeyId);
      } else {
        // Member reads are signed with the temporary keys AssumeRole returned.
        expect(c.accessKeyId, `${c.operation} in ${c.account}`).toMatch(/^ASIA/);
      }
    }
    // Each member's reads use one session (its own keys), different from the other member's.
    const keysOf = (account: string) =>
      new Set(org.log.filter((c) => c.account === account).map((c) => c.accessKeyId));
    expect(keysOf(estate.dev).size).toBe(1);
    expect(keysOf(estate.prod).size).toBe(1);
    expect([...keysOf(estate.dev)][0]).not.toBe([...keysOf(estate.prod)][0]);
  });

  it('calls only the read actions the README and the roles list (functions/collect/aws/permissions.ts)', () => {
    const allowed = new Set<string>([...MEMBER_ROLE_ACTIONS, ...SCANNER_ACTIONS]);
    const called = [...org.result.calls.keys()].sort();
    expect(called.filter((op) => !allowed.has(op))).toEqual([]);
    // Every listed action is used by this scan: the lists hold nothing the collector does not call
    // (DescribeAddon is not, because moto has no add-ons).
    expect([...allowed].filter((a) => !called.includes(a))).toEqual(['eks:DescribeAddon']);
    for (const action of allowed) {
      expect(action).toMatch(/^[a-z]+:(Describe|List|Get|GenerateCredentialReport$|AssumeRole$)/);
    }
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const action of allowed) expect(readme).toContain(`\`${action}\``);
  });

  it('makes the fewest calls the APIs allow, and counts each call once', () => {
    const clusters = Object.values(estate.clusters);
    expect(Object.fromEntries(org.result.calls)).toEqual({
      'sts:GetCallerIdentity': 1,
      'organizations:ListAccounts': 1,
      'sts:AssumeRole': 2,
      'eks:ListClusters': 3 * ESTATE_REGIONS.length,
      'eks:DescribeCluster': clusters.length,
      'eks:ListNodegroups': clusters.length,
      'eks:DescribeNodegroup': Object.keys(estate.nodegroups).length,
      'eks:ListAddons': clusters.length,
      'iam:GetAccountSummary': 3,
      'iam:GetAccountPasswordPolicy': 3,
      'iam:GetAccountAuthorizationDetails': 3,
      // STARTED, then COMPLETE (moto, like IAM for an account without a recent report).
      'iam:GenerateCredentialReport': 6,
      'iam:GetCredentialReport': 3,
    });
    // No retries: what moto received is what the runtime counted.
    let total = 0;
    for (const n of org.result.calls.values()) total += n;
    expect(org.log).toHaveLength(total);
  });

  it('lists each account x region once, and describes each cluster and node group once', () => {
    const count = (operation: string, key: (c: LoggedCall) => string) => {
      const seen = new Map<string, number>();
      for (const c of org.log.filter((x) => x.operation === operation)) {
        seen.set(key(c), (seen.get(key(c)) ?? 0) + 1);
      }
      return Object.fromEntries(seen);
    };
    const once = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 1]));
    expect(count('eks:ListClusters', (c) => `${c.account}/${c.region}`)).toEqual(
      once(estate.accounts.flatMap((a) => ESTATE_REGIONS.map((r) => `${a}/${r}`))),
    );
    const clusters = Object.values(estate.clusters);
    expect(count('eks:DescribeCluster', (c) => `${c.account}/${c.region}/${c.input.name}`)).toEqual(
      once(clusters.map((c) => `${c.account}/${c.region}/${c.name}`)),
    );
    expect(
      count('eks:ListNodegroups', (c) => `${c.account}/${c.region}/${c.input.clusterName}`),
    ).toEqual(once(clusters.map((c) => `${c.account}/${c.region}/${c.name}`)));
    expect(
      count(
        'eks:DescribeNodegroup',
        (c) => `${c.account}/${c.region}/${c.input.clusterName}/${c.input.nodegroupName}`,
      ),
    ).toEqual(
      once(
        Object.values(estate.nodegroups).map(
          (n) => `${n.account}/${n.region}/${n.cluster}/${n.name}`,
        ),
      ),
    );
    expect(count('iam:GetAccountSummary', (c) => c.account)).toEqual(once(estate.accounts));
  });
});

describe('which accounts are read', () => {
  it('leaves an excluded account out entirely: no AssumeRole, no read, no error', async () => {
    const s = await scan({ accounts: 'organization', excludeAccounts: [estate.prod] });
    expect([...s.units].sort()).toEqual([`aws ${estate.dev}`, `aws ${estate.management}`].sort());
    expect(accountsIn(s).has(estate.prod)).toBe(false);
    expect(
      s.log.filter((c) => c.operation === 'sts:AssumeRole').map((c) => c.input.RoleArn),
    ).toEqual([`arn:aws:iam::${estate.dev}:role/${READ_ONLY_ROLE}`]);
    expect(s.log.filter((c) => JSON.stringify(c.input).includes(estate.prod))).toEqual([]);
    expect(
      ofType(s.inventory, 'aws.eks.cluster')
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      Object.values(estate.clusters)
        .filter((c) => c.account !== estate.prod)
        .map((c) => c.arn)
        .sort(),
    );
  });

  it('reads an explicit list without Organizations, the credentials own account without AssumeRole', async () => {
    const s = await scan({ accounts: [estate.dev, estate.management] });
    expect(s.result.calls.get('organizations:ListAccounts')).toBeUndefined();
    expect([...s.units].sort()).toEqual([`aws ${estate.dev}`, `aws ${estate.management}`].sort());
    expect(
      s.log.filter((c) => c.operation === 'sts:AssumeRole').map((c) => c.input.RoleArn),
    ).toEqual([`arn:aws:iam::${estate.dev}:role/${READ_ONLY_ROLE}`]);
    expect(accountsIn(s)).toEqual(new Set([estate.dev, estate.management]));
    expect(
      ofType(s.inventory, 'aws.iam.password-policy')
        .map((r) => r.id)
        .sort(),
    ).toEqual([iamRoot(estate.dev), iamRoot(estate.management)].sort());
  });

  it('reads only the credentials own account with accounts: current', async () => {
    const s = await scan({ accounts: 'current' });
    expect(s.units).toEqual([`aws ${estate.management}`]);
    expect(s.result.calls.get('organizations:ListAccounts')).toBeUndefined();
    expect(s.result.calls.get('sts:AssumeRole')).toBeUndefined();
    expect(accountsIn(s)).toEqual(new Set([estate.management]));
    expect(
      ofType(s.inventory, 'aws.eks.cluster')
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      [estate.clusters.payments.arn, estate.clusters.vault.arn, estate.clusters.edge.arn].sort(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The findings, reasoned from CHECKS.md on what the scenario holds (collectedAt = built + 100 d).

type Subject =
  | `cluster:${keyof MotoEstate['clusters']}`
  | `nodegroup:${string}`
  | `user:${keyof MotoEstate['users']}`
  | `root:${'management' | 'dev' | 'prod'}`
  | `policy:${keyof MotoEstate['policies']}`;

function subjectId(subject: Subject): string {
  const [kind, name] = subject.split(':') as [string, string];
  switch (kind) {
    case 'cluster':
      return estate.clusters[name as keyof MotoEstate['clusters']].arn;
    case 'nodegroup':
      return estate.nodegroups[name]!.arn;
    case 'user':
      return estate.users[name as keyof MotoEstate['users']].arn;
    case 'root':
      return iamRoot(estate[name as 'management' | 'dev' | 'prod']);
    default:
      return estate.policies[name as keyof MotoEstate['policies']].arn;
  }
}

type Row = [outcome: string, checkId: string, subject: Subject, status: Finding['status']];

const EKS_ROWS: Row[] = [
  [
    'fails when the endpoint is public and open to 0.0.0.0/0',
    'eks-endpoint-not-public',
    'cluster:payments',
    'FAIL',
  ],
  ['passes when the endpoint is private only', 'eks-endpoint-not-public', 'cluster:vault', 'PASS'],
  [
    'passes when the public endpoint is limited to 203.0.113.0/24',
    'eks-endpoint-not-public',
    'cluster:edge',
    'PASS',
  ],
  [
    'fails when the endpoint is public with no CIDRs (open to all)',
    'eks-endpoint-not-public',
    'cluster:sandbox',
    'FAIL',
  ],
  ['fails when the public CIDRs include ::/0', 'eks-endpoint-not-public', 'cluster:ipv6', 'FAIL'],
  [
    'passes a private-only endpoint in a member account',
    'eks-endpoint-not-public',
    'cluster:ledger',
    'PASS',
  ],
  [
    'fails when endpointPrivateAccess is false',
    'eks-private-endpoint-enabled',
    'cluster:payments',
    'FAIL',
  ],
  [
    'passes when endpointPrivateAccess is true',
    'eks-private-endpoint-enabled',
    'cluster:vault',
    'PASS',
  ],
  [
    'passes a public+private endpoint for the private half',
    'eks-private-endpoint-enabled',
    'cluster:edge',
    'PASS',
  ],
  [
    'fails when endpointPrivateAccess is missing',
    'eks-private-endpoint-enabled',
    'cluster:sandbox',
    'FAIL',
  ],
  [
    'passes with endpointPrivateAccess true beside ::/0',
    'eks-private-endpoint-enabled',
    'cluster:ipv6',
    'PASS',
  ],
  [
    'passes the member cluster with a private endpoint',
    'eks-private-endpoint-enabled',
    'cluster:ledger',
    'PASS',
  ],
  ['fails without an encryptionConfig', 'eks-secrets-encrypted-kms', 'cluster:payments', 'FAIL'],
  [
    'passes when secrets are encrypted with a KMS key',
    'eks-secrets-encrypted-kms',
    'cluster:vault',
    'PASS',
  ],
  [
    'fails the limited-endpoint cluster without secrets encryption',
    'eks-secrets-encrypted-kms',
    'cluster:edge',
    'FAIL',
  ],
  [
    'passes a member cluster with a KMS key for secrets',
    'eks-secrets-encrypted-kms',
    'cluster:sandbox',
    'PASS',
  ],
  [
    'fails a member cluster without secrets encryption',
    'eks-secrets-encrypted-kms',
    'cluster:ipv6',
    'FAIL',
  ],
  [
    'passes the member cluster with KMS secrets encryption',
    'eks-secrets-encrypted-kms',
    'cluster:ledger',
    'PASS',
  ],
  [
    'fails when audit and authenticator are only in a disabled entry',
    'eks-audit-logging-enabled',
    'cluster:payments',
    'FAIL',
  ],
  [
    'passes with api, audit and authenticator enabled',
    'eks-audit-logging-enabled',
    'cluster:vault',
    'PASS',
  ],
  [
    'passes when the three types are split over two enabled entries',
    'eks-audit-logging-enabled',
    'cluster:edge',
    'PASS',
  ],
  ['fails with no logging configuration', 'eks-audit-logging-enabled', 'cluster:sandbox', 'FAIL'],
  ['fails another cluster with no logging', 'eks-audit-logging-enabled', 'cluster:ipv6', 'FAIL'],
  [
    'passes the member cluster with all three log types',
    'eks-audit-logging-enabled',
    'cluster:ledger',
    'PASS',
  ],
  ['fails version 1.28, below 1.30', 'eks-supported-version', 'cluster:payments', 'FAIL'],
  ['passes version 1.31', 'eks-supported-version', 'cluster:vault', 'PASS'],
  ['passes version 1.30, the minimum itself', 'eks-supported-version', 'cluster:edge', 'PASS'],
  ['fails version 1.29', 'eks-supported-version', 'cluster:sandbox', 'FAIL'],
  ['passes version 1.33', 'eks-supported-version', 'cluster:ipv6', 'PASS'],
  ['passes version 1.32', 'eks-supported-version', 'cluster:ledger', 'PASS'],
  // moto drops accessConfig, so every cluster reads "missing": FAIL by the rule, even those sent
  // with API (vault) or API_AND_CONFIG_MAP (ledger).
  [
    'fails a cluster created without an access mode',
    'eks-access-entries-auth',
    'cluster:payments',
    'FAIL',
  ],
  [
    'fails when the authentication mode is missing (moto drops API)',
    'eks-access-entries-auth',
    'cluster:vault',
    'FAIL',
  ],
  [
    'fails the limited-endpoint cluster, mode missing',
    'eks-access-entries-auth',
    'cluster:edge',
    'FAIL',
  ],
  ['fails the sandbox cluster, mode missing', 'eks-access-entries-auth', 'cluster:sandbox', 'FAIL'],
  ['fails the ipv6 cluster, mode missing', 'eks-access-entries-auth', 'cluster:ipv6', 'FAIL'],
  [
    'fails when the mode is missing (moto drops API_AND_CONFIG_MAP)',
    'eks-access-entries-auth',
    'cluster:ledger',
    'FAIL',
  ],
  // No vpc-cni add-on was read (ListAddons failed) and no DaemonSet was collected: ERROR, not FAIL.
  [
    'is ERROR when the add-ons could not be read',
    'eks-network-policy-enforced',
    'cluster:payments',
    'ERROR',
  ],
  ['is ERROR for vault, add-ons unread', 'eks-network-policy-enforced', 'cluster:vault', 'ERROR'],
  ['is ERROR for edge, add-ons unread', 'eks-network-policy-enforced', 'cluster:edge', 'ERROR'],
  [
    'is ERROR for sandbox, add-ons unread',
    'eks-network-policy-enforced',
    'cluster:sandbox',
    'ERROR',
  ],
  ['is ERROR for ipv6, add-ons unread', 'eks-network-policy-enforced', 'cluster:ipv6', 'ERROR'],
  ['is ERROR for ledger, add-ons unread', 'eks-network-policy-enforced', 'cluster:ledger', 'ERROR'],
  [
    'fails a node group with an SSH key and no source security groups',
    'eks-nodegroup-no-open-ssh',
    'nodegroup:payments-ssh-open',
    'FAIL',
  ],
  [
    'passes a node group whose SSH is limited to a security group',
    'eks-nodegroup-no-open-ssh',
    'nodegroup:payments-ssh-sg',
    'PASS',
  ],
  [
    'fails a node group with an SSH key and an empty security group list',
    'eks-nodegroup-no-open-ssh',
    'nodegroup:sandbox-nodes',
    'FAIL',
  ],
  // Created without remote access; moto answers its default key eksKeypair and no groups.
  [
    'fails the node group moto gave a default SSH key',
    'eks-nodegroup-no-open-ssh',
    'nodegroup:vault-workers',
    'FAIL',
  ],
  [
    'passes the member node group limited to a security group',
    'eks-nodegroup-no-open-ssh',
    'nodegroup:ledger-nodes',
    'PASS',
  ],
];

const IAM_ROWS: Row[] = [
  [
    'passes when AccountAccessKeysPresent is 0 (management)',
    'aws-iam-root-no-access-keys',
    'root:management',
    'PASS',
  ],
  [
    'passes when AccountAccessKeysPresent is 0 (dev)',
    'aws-iam-root-no-access-keys',
    'root:dev',
    'PASS',
  ],
  [
    'passes when AccountAccessKeysPresent is 0 (prod)',
    'aws-iam-root-no-access-keys',
    'root:prod',
    'PASS',
  ],
  // moto's summary says AccountMFAEnabled 0 for every account (root MFA cannot be set in moto).
  ['fails when AccountMFAEnabled is 0 (management)', 'aws-iam-root-mfa', 'root:management', 'FAIL'],
  ['fails when AccountMFAEnabled is 0 (dev)', 'aws-iam-root-mfa', 'root:dev', 'FAIL'],
  ['fails when AccountMFAEnabled is 0 (prod)', 'aws-iam-root-mfa', 'root:prod', 'FAIL'],
  ['fails a console user without MFA', 'aws-iam-console-users-mfa', 'user:alice', 'FAIL'],
  [
    'passes a console user with a virtual MFA device',
    'aws-iam-console-users-mfa',
    'user:bob',
    'PASS',
  ],
  [
    'passes a user without a console password',
    'aws-iam-console-users-mfa',
    'user:ci-deployer',
    'PASS',
  ],
  [
    'passes a user with neither password nor MFA',
    'aws-iam-console-users-mfa',
    'user:former-contractor',
    'PASS',
  ],
  [
    'fails a member account console user without MFA',
    'aws-iam-console-users-mfa',
    'user:dev-alice',
    'FAIL',
  ],
  [
    'passes a member account console user with MFA',
    'aws-iam-console-users-mfa',
    'user:auditor',
    'PASS',
  ],
  ['passes a user with no access key', 'aws-iam-access-keys-rotated', 'user:alice', 'PASS'],
  ['passes another user with no access key', 'aws-iam-access-keys-rotated', 'user:bob', 'PASS'],
  [
    'fails an active key rotated 100 days before collectedAt',
    'aws-iam-access-keys-rotated',
    'user:ci-deployer',
    'FAIL',
  ],
  [
    'passes when the only old key is inactive',
    'aws-iam-access-keys-rotated',
    'user:former-contractor',
    'PASS',
  ],
  [
    'passes a member user with no access key',
    'aws-iam-access-keys-rotated',
    'user:dev-alice',
    'PASS',
  ],
  [
    'passes the prod user with no access key',
    'aws-iam-access-keys-rotated',
    'user:auditor',
    'PASS',
  ],
  [
    'fails a password never used in the 100 days since the user was created',
    'aws-iam-inactive-credentials-disabled',
    'user:alice',
    'FAIL',
  ],
  [
    'fails an unused password even with MFA',
    'aws-iam-inactive-credentials-disabled',
    'user:bob',
    'FAIL',
  ],
  [
    'fails an active key never used in 100 days',
    'aws-iam-inactive-credentials-disabled',
    'user:ci-deployer',
    'FAIL',
  ],
  [
    'passes a user whose only key is inactive and who has no password',
    'aws-iam-inactive-credentials-disabled',
    'user:former-contractor',
    'PASS',
  ],
  [
    'fails an unused member account password',
    'aws-iam-inactive-credentials-disabled',
    'user:dev-alice',
    'FAIL',
  ],
  [
    'fails the unused prod password',
    'aws-iam-inactive-credentials-disabled',
    'user:auditor',
    'FAIL',
  ],
  [
    'fails a weak password policy (length 8, reuse 2, max age 180)',
    'aws-iam-password-policy',
    'root:management',
    'FAIL',
  ],
  ['fails an account without a password policy', 'aws-iam-password-policy', 'root:dev', 'FAIL'],
  [
    'passes a policy of length 14, numbers, both cases, reuse 24, max age 90',
    'aws-iam-password-policy',
    'root:prod',
    'PASS',
  ],
  [
    'fails an attached policy allowing * on * (Statement object)',
    'aws-iam-no-full-admin-policies',
    'policy:FullAdmin',
    'FAIL',
  ],
  [
    'passes an attached read-only EKS policy',
    'aws-iam-no-full-admin-policies',
    'policy:EksReadOnly',
    'PASS',
  ],
  [
    'fails an attached policy allowing ["*"] on ["*"] among other statements',
    'aws-iam-no-full-admin-policies',
    'policy:DevAdmin',
    'FAIL',
  ],
  [
    'passes a policy whose * on * statement is a Deny',
    'aws-iam-no-full-admin-policies',
    'policy:DenyAllButRead',
    'PASS',
  ],
];

describe('the EKS and IAM findings on the collected inventory', () => {
  let evaluation: Evaluation;
  let findings: Map<string, Finding>;
  const key = (checkId: string, resourceId: string) => `${checkId} ${resourceId}`;

  beforeAll(() => {
    evaluation = evaluate(org.inventory);
    findings = new Map(evaluation.findings.map((f) => [key(f.checkId, f.resourceId), f]));
  });

  it.each(EKS_ROWS)('%s (%s on %s: %s)', (_outcome, checkId, subject, status) => {
    const f = findings.get(key(checkId, subjectId(subject)));
    expect(f?.status, `${checkId} on ${subject}: ${f?.message}`).toBe(status);
  });

  it.each(IAM_ROWS)('%s (%s on %s: %s)', (_outcome, checkId, subject, status) => {
    const f = findings.get(key(checkId, subjectId(subject)));
    expect(f?.status, `${checkId} on ${subject}: ${f?.message}`).toBe(status);
  });

  it('gives no other EKS or IAM finding (an unattached admin policy is skipped)', () => {
    const got = evaluation.findings
      .filter((f) => f.checkId.startsWith('eks-') || f.checkId.startsWith('aws-iam-'))
      .map((f) => key(f.checkId, f.resourceId))
      .sort();
    const expected = [...EKS_ROWS, ...IAM_ROWS].map(([, c, s]) => key(c, subjectId(s))).sort();
    expect(got).toEqual(expected);
    expect(got.some((k) => k.endsWith(estate.policies.UnusedAdmin.arn))).toBe(false);
  });

  it('names each weak password-policy field in the evidence and the message', () => {
    const f = findings.get(key('aws-iam-password-policy', iamRoot(estate.management)))!;
    expect(f.evidence.map((e) => e.path)).toEqual([
      'MinimumPasswordLength',
      'PasswordReusePrevention',
      'MaxPasswordAge',
    ]);
    expect(f.message).toContain('MaxPasswordAge 180');
  });

  it('says why network policy is ERROR: the cluster add-ons could not be read', () => {
    const f = findings.get(key('eks-network-policy-enforced', estate.clusters.ledger.arn))!;
    expect(f.message).toContain('EKS add-ons could not be read');
  });

  it('is incomplete: the ListAddons errors are the report errors', () => {
    expect(evaluation.complete).toBe(false);
    expect(evaluation.errors).toEqual(org.inventory.errors);
  });

  it('lets the key-age option decide: the 100-day-old key passes a 120-day limit', () => {
    const relaxed = evaluate(org.inventory, {
      config: { options: { 'aws-iam-access-keys-rotated': { maxAgeDays: 120 } } },
    });
    const f = relaxed.findings.find(
      (x) =>
        x.checkId === 'aws-iam-access-keys-rotated' &&
        x.resourceId === estate.users['ci-deployer'].arn,
    );
    expect(f?.status).toBe('PASS');
  });
});

describe('kubernetes.enabled: true (the default)', () => {
  it("tries each discovered cluster's API server: moto's endpoints do not resolve, so each cluster is one Kubernetes error and the report is incomplete", async () => {
    const s = await scan({ accounts: 'organization' }, { kubernetes: {} });
    const k8s = s.inventory.errors.filter((e) => e.provider === 'kubernetes');
    expect(k8s.map((e) => e.scope).sort((a, b) => a.cluster!.localeCompare(b.cluster!))).toEqual(
      Object.values(estate.clusters)
        .map((c) => ({ cluster: c.arn }))
        .sort((a, b) => a.cluster.localeCompare(b.cluster)),
    );
    for (const e of k8s) {
      expect(e.types).toContain('kubernetes.DaemonSet');
      expect(e.types).toHaveLength(14);
      expect(e.message).toMatch(
        /^eks \S+ \(\d{12}\/[a-z0-9-]+\): ApiServerUnreachable: the API server \S+ could not be reached/,
      );
    }
    // The AWS side is the same as with Kubernetes off.
    expect(s.inventory.errors.filter((e) => e.provider === 'aws')).toEqual(org.inventory.errors);

    const evaluation = evaluate(s.inventory);
    expect(evaluation.complete).toBe(false);
    const of = (checkId: string, resourceId: string) =>
      evaluation.findings.find((f) => f.checkId === checkId && f.resourceId === resourceId);
    const ledger = estate.clusters.ledger.arn;
    // The Kubernetes checks get an ERROR named by the cluster; the cluster's own config is judged.
    expect(of('k8s-cluster-admin-restricted', ledger)?.status).toBe('ERROR');
    expect(of('k8s-workload-not-privileged', ledger)?.status).toBe('ERROR');
    expect(of('eks-network-policy-enforced', ledger)?.message).toContain(
      'EKS add-ons and DaemonSets could not be read',
    );
    expect(of('eks-endpoint-not-public', ledger)?.status).toBe('PASS');
    expect(of('eks-endpoint-not-public', estate.clusters.payments.arn)?.status).toBe('FAIL');
  });
});
