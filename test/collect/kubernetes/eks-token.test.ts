/**
 * The EKS bearer token against known vectors made by botocore's own presigner, the way
 * `aws eks get-token` makes them (test/fixtures/eks-token/make-vector.py; the test reads its
 * committed output and never runs Python), and the token cache.
 */
import { describe, expect, it } from 'vitest';
import {
  type BearerToken,
  EksTokenError,
  eksToken,
  stsEndpointOf,
  tokenCache,
} from '../../../functions/collect/kubernetes/eks-token.ts';
import fixture from '../../fixtures/eks-token/vectors.json' with { type: 'json' };

const TIME = '2026-11-27T02:00:00Z';
const now = () => new Date(TIME);
const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

type Vector = (typeof fixture.vectors)[number] & { sessionToken?: string };
const vectors: Vector[] = fixture.vectors;

function credentialsOf(v: Vector) {
  return {
    accessKeyId: v.accessKeyId,
    secretAccessKey: v.secretAccessKey,
    ...(v.sessionToken ? { sessionToken: v.sessionToken } : {}),
  };
}

/** The presigned URL inside a token. */
function urlOf(token: string): URL {
  expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

describe('eksToken: the known vectors (botocore, as aws eks get-token)', () => {
  it('has the vectors the script writes, made at the frozen time', () => {
    expect(vectors.map((v) => v.name)).toEqual([
      'long-term keys',
      'session credentials',
      'China partition',
    ]);
    for (const v of vectors) expect(v.time).toBe(TIME);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: the exact token', async (_, v) => {
    const made = await eksToken({
      clusterName: v.clusterName,
      region: v.region,
      credentials: credentialsOf(v),
      now: () => new Date(v.time),
    });
    expect(made.token).toBe(v.token);
    expect(urlOf(made.token).href).toBe(v.url);
    expect(made.expiresAt.toISOString()).toBe('2026-11-27T02:14:00.000Z');
  });

  it('takes a credentials provider as well as credentials', async () => {
    const v = vectors[1]!;
    const made = await eksToken({
      clusterName: v.clusterName,
      region: v.region,
      credentials: async () => credentialsOf(v),
      now,
    });
    expect(made.token).toBe(v.token);
  });
});

describe('eksToken: the presigned URL', () => {
  it('is a GetCallerIdentity of the regional STS endpoint, signed for the cluster', async () => {
    const { token } = await eksToken({
      clusterName: 'payments',
      region: 'eu-west-1',
      credentials: { ...KEYS, sessionToken: 'FQoG/session+token=' },
      now,
    });
    const url = urlOf(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect([...q.keys()]).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
    ]);
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/sts/aws4_request',
    );
    expect(q.get('X-Amz-Date')).toBe('20261127T020000Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-Security-Token')).toBe('FQoG/session+token=');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // Encoded as the server's copy of botocore's URL: the header list with %3B.
    expect(url.search).toContain('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id');
    expect(url.search).toContain('X-Amz-Security-Token=FQoG%2Fsession%2Btoken%3D');
    // Unpadded base64url: no '=', '+' or '/' anywhere in the token.
    expect(token).not.toMatch(/[=+/]/);
  });

  it('binds the signature to the cluster name', async () => {
    const of = (clusterName: string) =>
      eksToken({ clusterName, region: 'eu-west-1', credentials: KEYS, now });
    const a = urlOf((await of('payments')).token).searchParams.get('X-Amz-Signature');
    const b = urlOf((await of('payments-2')).token).searchParams.get('X-Amz-Signature');
    expect(a).not.toBe(b);
  });

  it('uses amazonaws.com.cn in the China regions, and a given endpoint as is', async () => {
    expect(stsEndpointOf('eu-west-1')).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(stsEndpointOf('cn-northwest-1')).toBe('https://sts.cn-northwest-1.amazonaws.com.cn');
    expect(stsEndpointOf('us-gov-west-1')).toBe('https://sts.us-gov-west-1.amazonaws.com');
    // The partition of the cluster ARN names the domain where the region alone cannot.
    expect(stsEndpointOf('us-iso-east-1', 'aws-iso')).toBe('https://sts.us-iso-east-1.c2s.ic.gov');
    expect(stsEndpointOf('us-isob-east-1', 'aws-iso-b')).toBe(
      'https://sts.us-isob-east-1.sc2s.sgov.gov',
    );
    expect(stsEndpointOf('eusc-de-east-1', 'aws-eusc')).toBe(
      'https://sts.eusc-de-east-1.amazonaws.eu',
    );
    const { token } = await eksToken({
      clusterName: 'payments',
      region: 'us-iso-east-1',
      credentials: KEYS,
      stsEndpoint: 'https://sts.us-iso-east-1.c2s.ic.gov',
      now,
    });
    const url = urlOf(token);
    expect(url.origin).toBe('https://sts.us-iso-east-1.c2s.ic.gov');
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20261127/us-iso-east-1/sts/aws4_request',
    );
  });
});

describe('eksToken: expiry and errors', () => {
  it('stops at 14 minutes, or when the credentials expire if that is sooner', async () => {
    const at = async (expiration: string) =>
      (
        await eksToken({
          clusterName: 'payments',
          region: 'eu-west-1',
          credentials: { ...KEYS, sessionToken: 't', expiration: new Date(expiration) },
          now,
        })
      ).expiresAt.toISOString();
    expect(await at('2026-11-27T02:05:00Z')).toBe('2026-11-27T02:05:00.000Z');
    expect(await at('2026-11-27T03:00:00Z')).toBe('2026-11-27T02:14:00.000Z');
  });

  it('never puts credentials in its errors', async () => {
    const leaky = Object.assign(new Error(`denied for ${KEYS.secretAccessKey}`), {
      name: 'CredentialsProviderError',
    });
    const failure = await eksToken({
      clusterName: 'payments',
      region: 'eu-west-1',
      credentials: async () => {
        throw leaky;
      },
      now,
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(EksTokenError);
    const message = (failure as Error).message;
    expect(message).toBe(
      'no AWS credentials for the EKS token of cluster payments: CredentialsProviderError',
    );
    expect(message).not.toContain(KEYS.secretAccessKey);
  });

  it.each([
    ['no cluster', { clusterName: '' }, /needs a cluster name/],
    ['a bad region', { region: 'eu west 1' }, /region "eu west 1"/],
    ['an http endpoint', { stsEndpoint: 'http://sts.eu-west-1.amazonaws.com' }, /https/],
    ['an endpoint with a user', { stsEndpoint: 'https://AKIA:x@sts.example' }, /https/],
  ])('refuses %s', async (_, change, message) => {
    const failure = await eksToken({
      clusterName: 'payments',
      region: 'eu-west-1',
      credentials: KEYS,
      now,
      ...change,
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(EksTokenError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain('AKIA');
  });
});

describe('tokenCache', () => {
  /** A clock the test moves, and a maker that counts its calls and can be held or failed. */
  function harness(lifetimeMs = 14 * 60_000) {
    let t = Date.parse(TIME);
    const clock = {
      now: () => new Date(t),
      advance: (ms: number) => {
        t += ms;
      },
    };
    let calls = 0;
    let fail: Error | undefined;
    let gate: Promise<void> | undefined;
    const make = async (): Promise<BearerToken> => {
      calls += 1;
      const n = calls;
      const madeAt = t;
      if (gate) await gate;
      if (fail) throw fail;
      return { token: `token-${n}`, expiresAt: new Date(madeAt + lifetimeMs) };
    };
    return {
      clock,
      make,
      calls: () => calls,
      failNext: (err: Error | undefined) => {
        fail = err;
      },
      hold: () => {
        let release!: () => void;
        gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        return () => {
          gate = undefined;
          release();
        };
      },
    };
  }

  it('reuses the token until it is within the margin of its expiry', async () => {
    const h = harness();
    const get = tokenCache(h.make, { now: h.clock.now });
    expect((await get()).token).toBe('token-1');
    h.clock.advance(12 * 60_000);
    expect((await get()).token).toBe('token-1');
    h.clock.advance(59_999); // 12:59.999 of 14:00: still more than 60 s left
    expect((await get()).token).toBe('token-1');
    h.clock.advance(1); // exactly 60 s left: within the margin
    expect((await get()).token).toBe('token-2');
    expect((await get()).token).toBe('token-2');
    expect(h.calls()).toBe(2);
  });

  it('takes its margin from marginMs', async () => {
    const h = harness();
    const get = tokenCache(h.make, { now: h.clock.now, marginMs: 5 * 60_000 });
    await get();
    h.clock.advance(8 * 60_000);
    expect((await get()).token).toBe('token-1');
    h.clock.advance(60_000); // 5 minutes left
    expect((await get()).token).toBe('token-2');
  });

  it('shares one request among concurrent callers', async () => {
    const h = harness();
    const get = tokenCache(h.make, { now: h.clock.now });
    const release = h.hold();
    const all = Promise.all([get(), get(), get()]);
    release();
    const tokens = await all;
    expect(tokens.map((t) => t.token)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(h.calls()).toBe(1);

    // And again when the cached token is due for renewal.
    h.clock.advance(13 * 60_000);
    const renewal = await Promise.all([get(), get()]);
    expect(renewal.map((t) => t.token)).toEqual(['token-2', 'token-2']);
    expect(h.calls()).toBe(2);
  });

  it('does not cache a failure: every waiting caller gets it, and the next call tries again', async () => {
    const h = harness();
    const get = tokenCache(h.make, { now: h.clock.now });
    h.failNext(new Error('STS unreachable'));
    const release = h.hold();
    const both = Promise.allSettled([get(), get()]);
    release();
    const results = await both;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(h.calls()).toBe(1);
    h.failNext(undefined);
    expect((await get()).token).toBe('token-2');
  });

  it('lets a caller retry at once from its own failure handler', async () => {
    const h = harness();
    const get = tokenCache(h.make, { now: h.clock.now });
    h.failNext(new Error('once'));
    const retried = await get().catch(() => {
      h.failNext(undefined);
      return get();
    });
    expect(retried.token).toBe('token-2');
  });

  it('renews early when the credentials expire before the 14 minutes', async () => {
    const h = harness();
    let expiration = new Date('2026-11-27T02:05:00Z');
    const get = tokenCache(
      () =>
        eksToken({
          clusterName: 'payments',
          region: 'eu-west-1',
          credentials: async () => ({ ...KEYS, sessionToken: 'session', expiration }),
          now: h.clock.now,
        }),
      { now: h.clock.now },
    );
    const first = await get();
    expect(first.expiresAt.toISOString()).toBe('2026-11-27T02:05:00.000Z');
    h.clock.advance(3 * 60_000);
    expect(await get()).toBe(first); // 2 minutes left
    h.clock.advance(60_000); // 1 minute left: renewed with the refreshed credentials
    expiration = new Date('2026-11-27T03:00:00Z');
    const second = await get();
    expect(second).not.toBe(first);
    expect(second.expiresAt.toISOString()).toBe('2026-11-27T02:18:00.000Z');
  });
});
