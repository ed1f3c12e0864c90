/**
 * Credentials end to end on 127.0.0.1: workload identity federation from AWS (the signed
 * GetCallerIdentity request exchanged at STS, then the service account impersonated), and
 * service-account keys (a file, or a secret read through `ReadSecret`) that sign their own JWTs.
 * Credentials that cannot be made or give no token are an error per project, never a crash, and
 * no key, secret or token appears in the inventory or its errors.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gcpClientFactory } from '../../../functions/collect/gcp/clients.ts';
import { GCP_TYPES } from '../../../functions/collect/gcp/collector.ts';
import { GcpCredentialError, wifConfig } from '../../../functions/collect/gcp/credentials.ts';
import { SecretReadError } from '../../../functions/collect/secrets.ts';
import {
  fixtureEstate,
  type GcpServer,
  makeServiceAccountKey,
  startGcpServer,
} from '../../helpers/gcp-server.ts';
import { jsonFile, SETTINGS, scanGcp, targetsFor } from './harness.ts';

const AUDIENCE =
  '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws/providers/pci-posture';
const SERVICE_ACCOUNT = 'pci-posture@shop-sec.iam.gserviceaccount.com';
const AWS = {
  AWS_ACCESS_KEY_ID: 'ASIATESTACCESSKEY123',
  AWS_SECRET_ACCESS_KEY: 'test-secret-access-key-0123456789abcdefghij',
  AWS_SESSION_TOKEN: 'test-session-token-FwoGZXIvYXdzEJr',
  AWS_REGION: 'eu-west-1',
};
const PROJECTS = ['shop-prod', 'shop-dev'];
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:gcp-key-AbCdEf';

const sa = makeServiceAccountKey(SERVICE_ACCOUNT);
let server: GcpServer;
let refusing: GcpServer;

beforeAll(async () => {
  const options = {
    estate: fixtureEstate(),
    serviceAccounts: { [sa.email]: sa.publicKey },
    federation: { audience: AUDIENCE, serviceAccounts: [SERVICE_ACCOUNT] },
  };
  server = await startGcpServer(options);
  refusing = await startGcpServer({
    ...options,
    federation: { ...options.federation, refuse: true },
  });
});
afterAll(async () => {
  await server.close();
  await refusing.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.exchanges.length = 0;
  for (const [k, v] of Object.entries(AWS)) vi.stubEnv(k, v);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Nothing secret in what a run keeps: the inventory and its errors. */
function expectNoSecrets(text: string, more: string[] = []) {
  const secrets = [
    AWS.AWS_SECRET_ACCESS_KEY,
    AWS.AWS_SESSION_TOKEN,
    sa.key.private_key!.split('\n')[1]!,
    'PRIVATE KEY',
    'eyJ', // any JWT
    ...server.issuedTokens,
    ...more,
  ];
  for (const s of secrets) expect(text).not.toContain(s);
}

const api = (s: GcpServer) =>
  s.requests.filter((r) => r.path.startsWith('/v1/projects/shop') || r.path.startsWith('/v3/'));

describe('workload identity federation from AWS', () => {
  it('built from the audience: STS exchanges the signed GetCallerIdentity, the service account is impersonated, its token reads every project', async () => {
    const targets = targetsFor(server, {
      projects: PROJECTS,
      credentials: {
        type: 'workload-identity-federation',
        audience: AUDIENCE,
        serviceAccount: SERVICE_ACCOUNT,
      },
    });
    const { inventory } = await scanGcp(targets);
    expect(inventory.errors).toEqual([]);
    expect(inventory.resources).toHaveLength(4);

    // One exchange for the whole scan (the token is cached), its subject token a SigV4-signed
    // GetCallerIdentity of the environment's AWS credentials, bound to the audience.
    const sts = server.requests.filter((r) => r.path === '/v1/token');
    expect(sts).toHaveLength(1);
    const form = new URLSearchParams(sts[0]!.body);
    expect(form.get('audience')).toBe(AUDIENCE);
    expect(form.get('subject_token')).toBeTruthy();
    expect(form.get('scope')).toBe('https://www.googleapis.com/auth/cloud-platform');
    const [exchange] = server.exchanges;
    expect(exchange?.subjectToken.url).toBe(
      'https://sts.eu-west-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
    );
    const header = (k: string) =>
      exchange?.subjectToken.headers.find((h) => h.key.toLowerCase() === k)?.value;
    expect(header('authorization')).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${AWS.AWS_ACCESS_KEY_ID}/\\d{8}/eu-west-1/sts/aws4_request`,
      ),
    );
    expect(header('x-amz-security-token')).toBe(AWS.AWS_SESSION_TOKEN);
    expect(header('x-goog-cloud-target-resource')).toBe(AUDIENCE);

    // The STS token impersonates the service account; the APIs see only the final token.
    const [stsToken, finalToken] = server.issuedTokens.slice(-2);
    const impersonation = server.requests.filter((r) => r.path.endsWith(':generateAccessToken'));
    expect(impersonation.map((r) => [r.path, r.headers.authorization])).toEqual([
      [
        `/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}:generateAccessToken`,
        `Bearer ${stsToken}`,
      ],
    ]);
    expect(JSON.parse(impersonation[0]!.body).scope).toEqual([
      'https://www.googleapis.com/auth/cloud-platform',
    ]);
    expect(api(server)).toHaveLength(4);
    for (const r of api(server)) {
      expect([r.status, r.headers.authorization]).toEqual([200, `Bearer ${finalToken}`]);
    }
    expectNoSecrets(JSON.stringify(inventory));
  });

  it('from a gcloud credential configuration file, with the endpoint overrides applied', async () => {
    // As `gcloud iam workload-identity-pools create-cred-config --aws` writes it: Google's URLs.
    const configFile = jsonFile(
      'wif.json',
      wifConfig(
        {
          type: 'workload-identity-federation',
          audience: AUDIENCE,
          serviceAccount: SERVICE_ACCOUNT,
        },
        {},
      ),
    );
    const targets = targetsFor(server, {
      projects: PROJECTS,
      credentials: { type: 'workload-identity-federation', configFile },
    });
    const { inventory } = await scanGcp(targets);
    expect(inventory.errors).toEqual([]);
    expect(server.exchanges).toHaveLength(1);
    expect(server.requests.filter((r) => r.path.endsWith(':generateAccessToken'))).toHaveLength(1);
  });

  it('without impersonation, the federated token itself reads the projects', async () => {
    const targets = targetsFor(server, {
      projects: ['shop-prod'],
      credentials: { type: 'workload-identity-federation', audience: AUDIENCE },
    });
    const { inventory } = await scanGcp(targets);
    expect(inventory.errors).toEqual([]);
    expect(server.requests.filter((r) => r.path.endsWith(':generateAccessToken'))).toEqual([]);
    const stsToken = server.issuedTokens.at(-1);
    for (const r of api(server)) expect(r.headers.authorization).toBe(`Bearer ${stsToken}`);
  });
});

describe('credentials that give no token: an error per project over every GCP type', () => {
  it.each([
    {
      scenario: 'STS refuses the exchange',
      at: () => refusing,
      credentials: {
        type: 'workload-identity-federation',
        audience: AUDIENCE,
        serviceAccount: SERVICE_ACCOUNT,
      },
      message: /^GcpCredentialError: no access token: .*invalid_grant/,
    },
    {
      scenario: 'impersonation is denied',
      at: () => server,
      credentials: {
        type: 'workload-identity-federation',
        audience: AUDIENCE,
        serviceAccount: 'someone-else@shop-sec.iam.gserviceaccount.com',
      },
      message: /^GcpCredentialError: no access token: .*/,
    },
    {
      scenario: 'the configuration file is missing',
      at: () => server,
      credentials: { type: 'workload-identity-federation', configFile: '/nonexistent/wif.json' },
      message:
        /^GcpCredentialError: the workload identity federation configuration \/nonexistent\/wif.json cannot be read$/,
    },
    {
      scenario: 'the configuration file is not an external_account configuration',
      at: () => server,
      credentials: {
        type: 'workload-identity-federation',
        configFile: jsonFile('sa.json', sa.key),
      },
      message: /is not an external_account configuration \(its type is "service_account"\)$/,
    },
    {
      scenario: 'a configuration file whose token_url is not Google STS (nor the override)',
      at: () => server,
      credentials: {
        type: 'workload-identity-federation',
        configFile: jsonFile('evil.json', {
          ...wifConfig({ type: 'workload-identity-federation', audience: AUDIENCE }, {}),
          token_url: 'https://collector.example.com/v1/token',
        }),
      },
      endpoints: { sts: undefined },
      message: /token_url is not a Google sts URL \(or the configured endpoint\)$/,
    },
    {
      scenario: 'a configuration file that runs a command instead of taking AWS credentials',
      at: () => server,
      credentials: {
        type: 'workload-identity-federation',
        configFile: jsonFile('exec.json', {
          ...wifConfig({ type: 'workload-identity-federation', audience: AUDIENCE }, {}),
          credential_source: { executable: { command: '/bin/sh -c id' } },
        }),
      },
      message: /only federation from AWS is supported$/,
    },
    {
      scenario: 'the key file is missing',
      at: () => server,
      credentials: { type: 'service-account-key', file: '/nonexistent/key.json' },
      message:
        /^GcpCredentialError: the service-account key file \/nonexistent\/key.json cannot be read \(ENOENT\)$/,
    },
    {
      scenario: 'the key is not JSON (and is not quoted)',
      at: () => server,
      credentials: {
        type: 'service-account-key',
        file: jsonFile('k.json', sa.key).replace(/$/, ''),
      },
      corrupt: true,
      message: /^GcpCredentialError: the service-account key file .* is not JSON$/,
    },
    {
      scenario: 'the secret holds no service_account key',
      at: () => server,
      credentials: { type: 'service-account-key', secretArn: SECRET_ARN },
      secret: JSON.stringify({ type: 'authorized_user', refresh_token: 'rt-secret-value' }),
      message: /^GcpCredentialError: the service-account key is not a service_account key/,
    },
    {
      scenario: 'the secret cannot be read',
      at: () => server,
      credentials: { type: 'service-account-key', secretArn: SECRET_ARN },
      secret: new SecretReadError(SECRET_ARN, 'AccessDeniedException'),
      message: new RegExp(
        `cannot be read: secret ${SECRET_ARN} could not be read: AccessDeniedException$`,
      ),
    },
  ] as {
    scenario: string;
    at: () => GcpServer;
    credentials: Record<string, unknown>;
    corrupt?: boolean;
    secret?: string | Error;
    endpoints?: Record<string, undefined>;
    message: RegExp;
  }[])('$scenario', async ({ at, credentials, corrupt, secret, endpoints, message }) => {
    if (corrupt) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(String(credentials.file), `garbage ${sa.key.private_key}`);
    }
    const readSecret = async () => {
      if (secret instanceof Error) throw secret;
      return secret ?? '';
    };
    const s = at();
    s.requests.length = 0;
    const targets = targetsFor(s, { projects: PROJECTS, credentials, endpoints });
    const { inventory } = await scanGcp(targets, { readSecret });
    expect(inventory.resources).toEqual([]);
    expect(inventory.errors).toEqual(
      ['shop-dev', 'shop-prod'].map((project) => ({
        provider: 'gcp',
        scope: { project },
        types: [...GCP_TYPES],
        operation: 'auth.accessToken',
        message: expect.stringMatching(message),
      })),
    );
    expect(api(s)).toEqual([]);
    expectNoSecrets(JSON.stringify(inventory), ['rt-secret-value', ...s.issuedTokens]);
  });
});

describe('service-account keys sign their own JWTs (no token endpoint)', () => {
  it('a key read from Secrets Manager through ReadSecret', async () => {
    const read: string[] = [];
    const readSecret = async (arn: string) => {
      read.push(arn);
      return JSON.stringify(sa.key);
    };
    const targets = targetsFor(server, {
      projects: PROJECTS,
      credentials: { type: 'service-account-key', secretArn: SECRET_ARN },
    });
    const { inventory } = await scanGcp(targets, { readSecret });
    expect(inventory.errors).toEqual([]);
    expect(inventory.resources).toHaveLength(4);
    expect(read).toEqual([SECRET_ARN]); // read once for the scan
    expect(server.requests.filter((r) => r.path === '/v1/token')).toEqual([]);
    for (const r of api(server)) {
      const [, payload] = (r.headers.authorization ?? '').replace('Bearer ', '').split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
      expect(claims).toMatchObject({ iss: SERVICE_ACCOUNT, sub: SERVICE_ACCOUNT });
      expect(claims.scope).toBe('https://www.googleapis.com/auth/cloud-platform');
    }
    expectNoSecrets(JSON.stringify(inventory));
  });

  it('a key signed by another key is refused by the API: errors, not a crash', async () => {
    const impostor = makeServiceAccountKey(SERVICE_ACCOUNT);
    const targets = targetsFor(server, {
      projects: ['shop-prod'],
      credentials: { type: 'service-account-key', file: jsonFile('k.json', impostor.key) },
    });
    const { inventory } = await scanGcp(targets);
    expect(inventory.errors.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(/^GoogleApiError: UNAUTHENTICATED: .*\(HTTP 401\)$/),
      expect.stringMatching(/^GoogleApiError: UNAUTHENTICATED: .*\(HTTP 401\)$/),
    ]);
    expectNoSecrets(JSON.stringify(inventory), [impostor.key.private_key!.split('\n')[1]!]);
  });
});

describe('a credential failure is not kept for the life of a warm container', () => {
  it('the next client() after a failed one tries again, and a made client is then reused', async () => {
    let reads = 0;
    const readSecret = async () => {
      reads++;
      if (reads === 1) throw new SecretReadError(SECRET_ARN, 'ThrottlingException');
      return JSON.stringify(sa.key);
    };
    const targets = targetsFor(server, {
      projects: ['shop-prod'],
      credentials: { type: 'service-account-key', secretArn: SECRET_ARN },
    });
    const factory = gcpClientFactory(targets, SETTINGS, { readSecret });
    await expect(factory.client()).rejects.toThrow(GcpCredentialError);
    const client = await factory.client();
    await client.authorize(AbortSignal.timeout(5000));
    expect(await factory.client()).toBe(client);
    expect(reads).toBe(2);
  });
});

/**
 * Everything an error could print: each level of its `cause` chain as JSON with its own
 * properties (message and stack included), and `util.inspect` of the whole, hidden ones too.
 */
function everythingPrinted(err: unknown): string {
  const levels: string[] = [];
  const seen = new WeakSet<object>();
  const replacer = (_key: string, value: unknown) => {
    if (typeof value === 'bigint') return String(value);
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[seen]';
      seen.add(value);
    }
    return value;
  };
  for (let e: unknown = err, depth = 0; e && depth < 10; depth++) {
    const own =
      typeof e === 'object'
        ? Object.fromEntries(
            Object.getOwnPropertyNames(e).map((k) => [k, (e as Record<string, unknown>)[k]]),
          )
        : e;
    levels.push(JSON.stringify(own, replacer));
    e = (e as { cause?: unknown }).cause;
  }
  return `${levels.join('\n')}\n${inspect(err, { depth: null, showHidden: true })}`;
}

describe('a credential error holds no secret, whatever prints it', () => {
  it.each([
    {
      scenario:
        'STS refuses the exchange: no AWS secret or session token in the error or its causes',
      at: () => refusing,
      serviceAccount: SERVICE_ACCOUNT,
    },
    {
      scenario:
        'impersonation is denied: no AWS secret, session token or STS bearer token in the error or its causes',
      at: () => server,
      serviceAccount: 'someone-else@shop-sec.iam.gserviceaccount.com',
    },
  ])('$scenario', async ({ at, serviceAccount }) => {
    const s = at();
    const targets = targetsFor(s, {
      projects: ['shop-prod'],
      credentials: { type: 'workload-identity-federation', audience: AUDIENCE, serviceAccount },
    });
    const client = await gcpClientFactory(targets, SETTINGS).client();
    const error = await client.authorize(AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GcpCredentialError);
    const printed = everythingPrinted(error);
    expect(printed).toMatch(/GcpCredentialError: no access token/);
    expect(s.exchanges.length).toBeGreaterThan(0); // the signed request did reach STS
    expectNoSecrets(printed, [...s.issuedTokens]);
    expect(printed).not.toMatch(/Bearer|subject_token|x-amz-security-token/i);
  });
});
