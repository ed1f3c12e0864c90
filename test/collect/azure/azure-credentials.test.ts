/**
 * Each Azure credential type through @azure/identity against the local Entra token endpoint:
 * what is sent, where the secret material comes from, and that none of it (nor any token or
 * assertion) reaches the inventory or its errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  federatedAudience,
  needsInstanceDiscoveryOff,
} from '../../../functions/collect/azure/credentials.ts';
import { SecretReadError } from '../../../functions/collect/secrets.ts';
import type { AzureTargets } from '../../../functions/config/scan-config.ts';
import {
  type AzureServer,
  fixtureEstate,
  LEAKED_KEY,
  startAzureServer,
} from '../../helpers/azure-server.ts';
import { selfSignedCertificate } from '../../helpers/test-ca.ts';
import { tempDir } from '../../helpers/tmp.ts';
import {
  azureClients,
  CLIENT_ID,
  CLIENT_SECRET,
  collectAzure,
  collectWith,
  SECRET_ENV,
} from './harness.ts';

const SUB = fixtureEstate().subscriptions[0]!.subscription.subscriptionId;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:azure-scanner-AbCdEf';
const dir = tempDir('azure-credentials');
const certificate = selfSignedCertificate('pci-posture-scanner');
const PEM = `${certificate.cert}${certificate.key}`;
/** A JWT-shaped assertion (the server compares it as is). */
const ASSERTION = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(
  JSON.stringify({
    sub: 'arn:aws:iam::111122223333:role/scanner',
    aud: 'api://AzureADTokenExchange',
  }),
).toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS1hd3MtdG9rZW4`;

let server: AzureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tokenRequests = (s: AzureServer) => s.requests.filter((r) => r.form);
const expectCollected = (run: Awaited<ReturnType<typeof collectAzure>>) => {
  expect(run.errors).toEqual([]);
  expect(run.resources.length).toBeGreaterThan(0);
};
const expectClean = (run: Awaited<ReturnType<typeof collectAzure>>, s: AzureServer) => {
  for (const secret of [CLIENT_SECRET, certificate.key, ASSERTION, ...s.issuedTokens]) {
    expect(run.text).not.toContain(secret);
  }
  const keyLine = certificate.key.split('\n')[1]!;
  expect(run.text).not.toContain(keyLine);
};

describe('Azure credentials', () => {
  it('client secret from an environment variable', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET } });
    const run = await collectAzure(server, { subscriptions: [SUB] });
    expectCollected(run);
    expect(tokenRequests(server)[0]!.form).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'client_credentials',
    });
    // Instance discovery is off for a host MSAL does not know: only these Entra paths were asked.
    expect(
      new Set(
        server.requests
          .filter((r) => !r.operation)
          .map((r) => r.path.split('/').slice(2).join('/')),
      ),
    ).toEqual(new Set(['v2.0/.well-known/openid-configuration', 'oauth2/v2.0/token']));
    expectClean(run, server);
  });

  it('client secret from Secrets Manager, read once', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET } });
    const reads: string[] = [];
    const run = await collectAzure(
      server,
      {
        subscriptions: fixtureEstate().subscriptions.map((s) => s.subscription.subscriptionId),
        credentials: { type: 'secret', secretArn: SECRET_ARN },
      },
      {
        readSecret: async (arn) => {
          reads.push(arn);
          return `${CLIENT_SECRET}\n`;
        },
      },
    );
    expectCollected(run);
    expect(reads).toEqual([SECRET_ARN]);
    expectClean(run, server);
  });

  it('a missing environment variable or unreadable secret is an error naming the source only', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET } });
    const missing = await collectAzure(server, { subscriptions: [SUB] }, { env: {} });
    expect(missing.resources).toEqual([]);
    expect(missing.errors).toHaveLength(3);
    for (const e of missing.errors) {
      expect(e.message).toBe(
        `AzureAuthenticationFailed: AzureCredentialUnavailable: the client secret's environment variable ${SECRET_ENV} is not set`,
      );
    }
    const unreadable = await collectAzure(
      server,
      { subscriptions: [SUB], credentials: { type: 'certificate', secretArn: SECRET_ARN } },
      {
        readSecret: async (arn) => {
          throw new SecretReadError(arn, 'AccessDeniedException');
        },
      },
    );
    expect(unreadable.errors.map((e) => e.message)).toEqual(
      Array(3).fill(
        `AzureAuthenticationFailed: SecretReadError: secret ${SECRET_ARN} could not be read: AccessDeniedException`,
      ),
    );
    expect(tokenRequests(server)).toEqual([]);
  });

  it('a secret read that failed is read again by the next scan of the same clients, and a secret read is kept', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET } });
    const reads: string[] = [];
    const { targets, clients } = azureClients(
      server,
      { subscriptions: [SUB], credentials: { type: 'secret', secretArn: SECRET_ARN } },
      {
        readSecret: async (arn) => {
          reads.push(arn);
          if (reads.length === 1) throw new SecretReadError(arn, 'ThrottlingException');
          return CLIENT_SECRET;
        },
      },
    );
    const failed = await collectWith(targets, clients);
    expect(failed.resources).toEqual([]);
    expect(failed.errors.map((e) => e.message)).toEqual(
      Array(3).fill(
        `AzureAuthenticationFailed: SecretReadError: secret ${SECRET_ARN} could not be read: ThrottlingException`,
      ),
    );
    expect(reads).toHaveLength(1);

    const second = await collectWith(targets, clients);
    expectCollected(second);
    expect(reads).toEqual([SECRET_ARN, SECRET_ARN]);
    // The credential made is kept: a third scan reads nothing.
    expectCollected(await collectWith(targets, clients));
    expect(reads).toHaveLength(2);
    expectClean(second, server);
  });

  it('an Entra refusal that quotes the secret, the assertion and a private key is recorded redacted, for every credential type', async () => {
    server = await startAzureServer({ echoSecretsInRefusal: true });
    const file = join(dir, 'echoed.pem');
    writeFileSync(file, PEM);
    const runs = {
      secret: await collectAzure(server, { subscriptions: [SUB] }),
      certificate: await collectAzure(server, {
        subscriptions: [SUB],
        credentials: { type: 'certificate', file },
      }),
      federated: await collectAzure(
        server,
        { subscriptions: [SUB], credentials: { type: 'federated', audience: 'api://pci-posture' } },
        { webIdentityToken: async () => ASSERTION },
      ),
    };
    const sent = tokenRequests(server).map((r) => r.form!);
    // Each type sent what the server quotes back.
    expect(sent.some((f) => f.client_secret === CLIENT_SECRET)).toBe(true);
    expect(sent.some((f) => f.client_assertion === ASSERTION)).toBe(true);
    const assertions = sent.map((f) => f.client_assertion).filter((a) => a !== undefined);
    expect(assertions.length).toBeGreaterThanOrEqual(2);
    for (const [type, run] of Object.entries(runs)) {
      expect(run.errors, type).toHaveLength(3);
      for (const e of run.errors) {
        expect(e.message, type).toMatch(
          /^AzureAuthenticationFailed: .*AADSTS7000215: Invalid client credential: .*\[REDACTED\]/,
        );
        expect(e.message, type).not.toContain(CLIENT_SECRET);
        expect(e.message, type).not.toContain('PRIVATE KEY');
        expect(e.message, type).not.toContain(LEAKED_KEY.split(' ').at(-1)!);
        for (const a of assertions) expect(e.message, type).not.toContain(a);
        // Not even a part of an assertion (its header or payload) is left.
        expect(e.message, type).not.toMatch(/eyJ/);
      }
      expect(run.text, type).not.toContain(CLIENT_SECRET);
    }
  });

  it('certificate (PEM with its key) from a file and from Secrets Manager: a signed assertion', async () => {
    server = await startAzureServer({
      credential: { clientId: CLIENT_ID, certificate: certificate.cert },
    });
    const file = join(dir, 'scanner.pem');
    writeFileSync(file, PEM);
    const fromFile = await collectAzure(server, {
      subscriptions: [SUB],
      credentials: { type: 'certificate', file },
    });
    expectCollected(fromFile);
    const form = tokenRequests(server)[0]!.form!;
    expect(form.client_assertion_type).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    expect(form).not.toHaveProperty('client_secret');
    expectClean(fromFile, server);
    expect(fromFile.text).not.toContain(form.client_assertion);

    const fromSecret = await collectAzure(
      server,
      { subscriptions: [SUB], credentials: { type: 'certificate', secretArn: SECRET_ARN } },
      { readSecret: async () => PEM },
    );
    expectCollected(fromSecret);
    expectClean(fromSecret, server);

    // Another key is refused by Entra: the error says so, with no key material.
    const other = selfSignedCertificate('someone-else');
    const refused = await collectAzure(
      server,
      { subscriptions: [SUB], credentials: { type: 'certificate', secretArn: SECRET_ARN } },
      { readSecret: async () => `${other.cert}${other.key}` },
    );
    expect(refused.errors).toHaveLength(3);
    expect(refused.errors[0]!.message).toMatch(/^AzureAuthenticationFailed: .*AADSTS7000215/);
    expect(refused.text).not.toContain(other.key.split('\n')[1]!);
  });

  it('a certificate file without its private key is refused before any request', async () => {
    server = await startAzureServer();
    const file = join(dir, 'cert-only.pem');
    writeFileSync(file, certificate.cert);
    const run = await collectAzure(server, {
      subscriptions: [SUB],
      credentials: { type: 'certificate', file },
    });
    expect(run.errors[0]!.message).toMatch(
      /must be PEM holding the certificate and its unencrypted private key/,
    );
    expect(server.requests).toEqual([]);
  });

  it('federated: the AWS web identity token is the client assertion, for the configured audience', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, assertion: ASSERTION } });
    const audiences: string[] = [];
    const run = await collectAzure(
      server,
      {
        subscriptions: [SUB],
        credentials: { type: 'federated', audience: 'api://AzureADTokenExchange' },
      },
      {
        webIdentityToken: async (audience) => {
          audiences.push(audience);
          return ASSERTION;
        },
      },
    );
    expectCollected(run);
    expect(audiences).toEqual(['api://AzureADTokenExchange']);
    const [token] = tokenRequests(server);
    expect(token!.form).toMatchObject({
      client_id: CLIENT_ID,
      client_assertion: ASSERTION,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      scope: `${server.url}/.default`,
    });
    expectClean(run, server);
  });

  it('federated: by default from STS GetWebIdentityToken of the running role', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, assertion: ASSERTION } });
    const sts = mockClient(STSClient);
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: ASSERTION });
    try {
      const run = await collectAzure(server, {
        subscriptions: [SUB],
        credentials: { type: 'federated', audience: 'api://pci-posture' },
      });
      expectCollected(run);
      expect(sts.commandCalls(GetWebIdentityTokenCommand).map((c) => c.args[0].input)).toEqual([
        { Audience: ['api://pci-posture'], SigningAlgorithm: 'RS256', DurationSeconds: 300 },
      ]);
      expectClean(run, server);

      sts.reset();
      sts.on(GetWebIdentityTokenCommand).rejects(
        Object.assign(new Error('Outbound identity federation is not enabled'), {
          name: 'OutboundWebIdentityFederationDisabledException',
        }),
      );
      const disabled = await collectAzure(server, {
        subscriptions: [SUB],
        credentials: { type: 'federated', audience: 'api://pci-posture' },
      });
      expect(disabled.errors[0]!.message).toBe(
        'AzureAuthenticationFailed: AzureCredentialUnavailable: the AWS web identity token for api://pci-posture could not be made (sts:GetWebIdentityToken: OutboundWebIdentityFederationDisabledException)',
      );
    } finally {
      sts.restore();
    }
  });

  it('federated: from a token file', async () => {
    server = await startAzureServer({ credential: { clientId: CLIENT_ID, assertion: ASSERTION } });
    const file = join(dir, 'token');
    writeFileSync(file, `${ASSERTION}\n`);
    const run = await collectAzure(server, {
      subscriptions: [SUB],
      credentials: { type: 'federated', audience: 'api://AzureADTokenExchange', tokenFile: file },
    });
    expectCollected(run);
    expect(tokenRequests(server)[0]!.form!.client_assertion).toBe(ASSERTION);
    expectClean(run, server);
  });

  it.each([
    [
      'https://login.microsoftonline.com',
      'api://AzureADTokenExchange',
      'api://AzureADTokenExchange',
    ],
    [
      'https://login.microsoftonline.us',
      'api://AzureADTokenExchange',
      'api://AzureADTokenExchangeUSGov',
    ],
    [
      'https://LOGIN.microsoftonline.us/',
      'api://AzureADTokenExchange',
      'api://AzureADTokenExchangeUSGov',
    ],
    [
      'https://login.chinacloudapi.cn',
      'api://AzureADTokenExchange',
      'api://AzureADTokenExchangeChina',
    ],
    ['https://login.microsoftonline.us', 'api://pci-posture', 'api://pci-posture'],
    [
      'https://login.chinacloudapi.cn',
      'api://AzureADTokenExchangeChina',
      'api://AzureADTokenExchangeChina',
    ],
    ['https://login.usgovcloudapi.net', 'api://AzureADTokenExchange', 'api://AzureADTokenExchange'],
    ['https://127.0.0.1:8443', 'api://AzureADTokenExchange', 'api://AzureADTokenExchange'],
  ])(
    'the federated audience for authority host %s and audience %s is %s',
    (host, audience, want) => {
      const targets: Pick<AzureTargets, 'credentials' | 'cloud'> = {
        credentials: { type: 'federated', audience },
        cloud: { authorityHost: host, resourceManager: 'https://management.azure.com' },
      };
      expect(federatedAudience(targets)).toBe(want);
    },
  );

  it('a credential that is not federated has no federated audience', () => {
    expect(
      federatedAudience({
        credentials: { type: 'secret', env: SECRET_ENV },
        cloud: {
          authorityHost: 'https://login.microsoftonline.us',
          resourceManager: 'https://management.usgovcloudapi.net',
        },
      }),
    ).toBeUndefined();
  });

  it('turns instance discovery off only for authority hosts MSAL does not know', () => {
    expect(needsInstanceDiscoveryOff('https://login.microsoftonline.com')).toBe(false);
    expect(needsInstanceDiscoveryOff('https://login.microsoftonline.us/')).toBe(false);
    expect(needsInstanceDiscoveryOff('https://login.chinacloudapi.cn')).toBe(false);
    expect(needsInstanceDiscoveryOff('https://127.0.0.1:8443')).toBe(true);
    expect(needsInstanceDiscoveryOff('https://adfs.contoso.example/adfs')).toBe(true);
  });
});
