/**
 * Each Azure credential type through @azure/identity against the local Entra token endpoint:
 * what is sent, where the secret material comes from, and that none of it (nor any token or
 * assertion) reaches the inventory or its errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { AuthenticationError, AuthenticationRequiredError } from '@azure/identity';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  federatedAudience,
  needsInstanceDiscoveryOff,
  refusesClientCredential,
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
  SETTINGS,
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Waits out the tokens of a server started with `tokenLifetimeSeconds: 1`: MSAL rounds a token's
 * expiry up to the next second, so 2 s after the last token request. (Until its token has
 * expired, the pipeline tries a failed renewal again 3 s later within the same request.)
 */
const tokensExpired = (s: AzureServer) =>
  sleep(Math.max(0, tokenRequests(s).at(-1)!.at + 2100 - Date.now()));
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

  it.each(['secret', 'certificate'] as const)(
    'a %s rotated after it was read (the old one revoked): one scan is refused, the next reads the new one',
    async (type) => {
      const rotatedCertificate = selfSignedCertificate('pci-posture-scanner-rotated');
      const [before, after] =
        type === 'secret'
          ? [CLIENT_SECRET, 'pci-posture-test-rotated-secret-Yw3~k']
          : [PEM, `${rotatedCertificate.cert}${rotatedCertificate.key}`];
      const accepts = (value: string) =>
        type === 'secret'
          ? { clientId: CLIENT_ID, secret: value }
          : { clientId: CLIENT_ID, certificate: value };
      // Tokens of 1 s, and a wait for them to expire between scans: a scan must ask Entra for a
      // token, as the next night's scan does.
      server = await startAzureServer({
        credential: accepts(type === 'secret' ? before : certificate.cert),
        tokenLifetimeSeconds: 1,
      });
      let current = before;
      const reads: string[] = [];
      const { targets, clients } = azureClients(
        server,
        { subscriptions: [SUB], credentials: { type, secretArn: SECRET_ARN } },
        {
          readSecret: async (arn) => {
            reads.push(arn);
            return current;
          },
        },
      );
      const first = await collectWith(targets, clients);
      expectCollected(first);
      expect(reads).toEqual([SECRET_ARN]);

      // Rotated: Secrets Manager holds the new one, Entra accepts the new one only.
      current = after;
      await tokensExpired(server);
      server.setCredential(accepts(type === 'secret' ? after : rotatedCertificate.cert));
      const asked = tokenRequests(server).length;
      const refused = await collectWith(targets, clients);
      expect(refused.resources).toEqual([]);
      expect(refused.errors).toHaveLength(3);
      const code = type === 'secret' ? 'AADSTS7000215' : 'AADSTS700027';
      for (const e of refused.errors) {
        expect(e.message).toMatch(
          new RegExp(`^AzureAuthenticationFailed: .*invalid_client.*${code}`),
        );
      }
      // The three lists shared one token request, made with the credential kept from before.
      expect(
        tokenRequests(server)
          .slice(asked)
          .map((r) => r.error),
      ).toEqual(['invalid_client']);
      expect(reads).toHaveLength(1);

      // The refused credential was dropped: the next scan reads the secret again, and is served.
      const second = await collectWith(targets, clients);
      expectCollected(second);
      expect(reads).toEqual([SECRET_ARN, SECRET_ARN]);
      // Kept again: a further scan reads nothing.
      await tokensExpired(server);
      expectCollected(await collectWith(targets, clients));
      expect(reads).toHaveLength(2);

      for (const run of [first, refused, second]) {
        expectClean(run, server);
        for (const secret of [after, rotatedCertificate.key.split('\n')[1]!]) {
          expect(run.text).not.toContain(secret);
        }
      }
    },
  );

  it.each(['throttled', 'server-error'] as const)(
    'a %s token endpoint keeps the credential: the secret is not read again',
    async (fault) => {
      server = await startAzureServer({
        credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
        tokenFault: fault,
      });
      // One attempt per token request: no retry pauses (the failure is the same).
      const settings = { ...SETTINGS, maxAttempts: 1 };
      const reads: string[] = [];
      const { targets, clients } = azureClients(
        server,
        { subscriptions: [SUB], credentials: { type: 'secret', secretArn: SECRET_ARN } },
        {
          readSecret: async (arn) => {
            reads.push(arn);
            return CLIENT_SECRET;
          },
        },
        settings,
      );
      for (let scan = 0; scan < 2; scan++) {
        const failed = await collectWith(targets, clients, settings);
        expect(failed.resources).toEqual([]);
        expect(failed.errors).toHaveLength(3);
        for (const e of failed.errors) expect(e.message).toMatch(/^AzureAuthenticationFailed: /);
        expect(failed.text).not.toContain(CLIENT_SECRET);
      }
      expect(tokenRequests(server).length).toBeGreaterThanOrEqual(1);
      expect(
        tokenRequests(server).every((r) => r.status === (fault === 'throttled' ? 429 : 500)),
      ).toBe(true);
      expect(reads).toEqual([SECRET_ARN]);

      // Served again once its Retry-After (1 s, which MSAL keeps to) has passed: same credential.
      server.setTokenFault(undefined);
      await sleep(1100);
      expectCollected(await collectWith(targets, clients, settings));
      expect(reads).toEqual([SECRET_ARN]);
    },
  );

  it('a refusal of the credential is told from throttling, server and network errors, in either shape @azure/identity gives', () => {
    const oauth = (error: string, code: number) => ({
      error,
      error_description: `AADSTS${code}: ...`,
      error_codes: [code],
    });
    // MSAL's ServerError, under an AuthenticationRequiredError (what a client credential throws).
    const msal = (status: number | undefined, errorCode: string, errorNo?: number) =>
      new AuthenticationRequiredError({
        scopes: ['https://management.azure.com/.default'],
        message: `${errorCode}: ...`,
        cause: Object.assign(new Error(`${errorCode}: ...`), {
          name: 'ServerError',
          errorCode,
          errorNo,
          status,
        }),
      });
    for (const refused of [
      new AuthenticationError(401, oauth('invalid_client', 7000215)),
      new AuthenticationError(401, oauth('invalid_client', 7000222)),
      new AuthenticationError(400, oauth('invalid_request', 700024)),
      new AuthenticationError(400, oauth('invalid_client', 700027)),
      msal(401, 'invalid_client', 7000215),
      msal(400, 'invalid_client', 700027),
      msal(undefined, 'invalid_client'),
    ]) {
      expect(refusesClientCredential(refused), refused.message).toBe(true);
    }
    for (const other of [
      new AuthenticationError(429, oauth('temporarily_unavailable', 50196)),
      new AuthenticationError(500, oauth('server_error', 90033)),
      new AuthenticationError(503, oauth('invalid_client', 7000215)),
      new AuthenticationError(400, oauth('unauthorized_client', 700016)),
      msal(429, 'temporarily_unavailable', 50196),
      msal(500, 'server_error', 90033),
      // MSAL's own throttle (Retry-After not yet passed): the codes joined, no status.
      msal(undefined, '50196'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
      new Error('Microsoft Entra ID did not answer the token request within 15 s'),
      undefined,
    ]) {
      expect(refusesClientCredential(other), String(other)).toBe(false);
    }
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
    expect(refused.errors[0]!.message).toMatch(/^AzureAuthenticationFailed: .*AADSTS700027/);
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
