/**
 * CollectRuntime and its helpers, on their own: the call pool's bound, call counts, the budget,
 * the per-call limit against a client that ignores its signal, paging and its guards, and how a
 * failure becomes one line of an inventory error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attempt,
  BudgetExceeded,
  CallTimeout,
  type Collected,
  CollectRuntime,
  collectionError,
  failureText,
  MAX_PAGES,
  MalformedPage,
  RETRY_PAUSE_ALLOWANCE_MS,
  type RuntimeSettings,
  toWire,
} from '../../functions/collect/runtime.ts';

const SETTINGS: RuntimeSettings = {
  concurrency: 4,
  callTimeoutMs: 1000,
  maxAttempts: 1,
  budgetMs: 10_000,
};

const opened: CollectRuntime[] = [];
function runtime(over: Partial<RuntimeSettings> = {}): CollectRuntime {
  const rt = new CollectRuntime({ ...SETTINGS, ...over });
  opened.push(rt);
  return rt;
}

afterEach(() => {
  for (const rt of opened.splice(0)) rt.close();
  vi.useRealTimers();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise that never settles: a client that ignores its abort signal and never answers. */
const never = <T>() => new Promise<T>(() => {});

/** The error `p` rejects with; fails the test when it answers. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, got an answer');
}

describe('CollectRuntime.call', () => {
  it.each([1, 3, 8])(
    'keeps at most %i calls in flight, and uses all of them',
    async (concurrency) => {
      const rt = runtime({ concurrency });
      let inFlight = 0;
      let most = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          rt.call('eks:DescribeCluster', async () => {
            inFlight++;
            most = Math.max(most, inFlight);
            await sleep(10);
            inFlight--;
            return i;
          }),
        ),
      );
      expect(most).toBe(concurrency);
      expect(inFlight).toBe(0);
      // Every call ran once and returned its own answer, in order.
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    },
  );

  it('shares one pool over every operation', async () => {
    const rt = runtime({ concurrency: 2 });
    let inFlight = 0;
    let most = 0;
    const work = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(10);
      inFlight--;
    };
    await Promise.all([
      ...Array.from({ length: 5 }, () => rt.call('eks:ListClusters', work)),
      ...Array.from({ length: 5 }, () => rt.call('iam:GetAccountSummary', work)),
    ]);
    expect(most).toBe(2);
  });

  it('counts calls per operation, failed ones included', async () => {
    const rt = runtime();
    await rt.call('eks:ListClusters', async () => 1);
    await rt.call('eks:DescribeCluster', async () => 1);
    await rt.call('eks:DescribeCluster', async () => 2);
    await expect(
      rt.call('eks:DescribeCluster', async () => {
        throw new Error('AccessDeniedException');
      }),
    ).rejects.toThrow('AccessDeniedException');
    expect(Object.fromEntries(rt.calls)).toEqual({
      'eks:ListClusters': 1,
      'eks:DescribeCluster': 3,
    });
    expect(rt.callCount).toBe(4);
  });

  it('passes the error of a failed call through unchanged', async () => {
    const rt = runtime();
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
    });
    await expect(rt.call('eks:ListClusters', () => Promise.reject(denied))).rejects.toBe(denied);
  });

  it('fails a call still running when the budget runs out with BudgetExceeded, and every later call without running it', async () => {
    const rt = runtime({ budgetMs: 60, callTimeoutMs: 5000 });
    let sawAbort = false;
    const started = Date.now();
    const error = await rejection(
      rt.call('iam:GetCredentialReport', (signal) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
        });
        return never();
      }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(BudgetExceeded);
    expect(error.message).toBe('collection budget of 0.06 s ran out');
    expect(sawAbort).toBe(true);
    expect(rt.budget.aborted).toBe(true);

    const fn = vi.fn(async () => 'answered');
    await expect(rt.call('eks:ListClusters', fn)).rejects.toBeInstanceOf(BudgetExceeded);
    expect(fn).not.toHaveBeenCalled();
    // A call refused for the budget was never made, so it is not counted.
    expect(rt.calls.get('eks:ListClusters')).toBeUndefined();
  });

  it('fails calls queued behind the pool when the budget runs out before their turn', async () => {
    const rt = runtime({ concurrency: 1, budgetMs: 50, callTimeoutMs: 5000 });
    const queued = vi.fn(async () => 'answered');
    const first = rejection(rt.call('eks:ListClusters', () => never()));
    const second = rejection(rt.call('eks:DescribeCluster', queued));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBeInstanceOf(BudgetExceeded);
    expect(b).toBeInstanceOf(BudgetExceeded);
    expect(queued).not.toHaveBeenCalled();
  });

  it('ends a call that ignores its signal at its limit, with CallTimeout naming the operation', async () => {
    const rt = runtime({ callTimeoutMs: 40, maxAttempts: 1 });
    const started = Date.now();
    const error = await rejection(rt.call('eks:DescribeCluster', () => never()));
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(CallTimeout);
    expect(error.message).toBe('eks:DescribeCluster did not answer within 0.04 s');
    expect(took).toBeGreaterThanOrEqual(35);
    expect(took).toBeLessThan(2000);
    // The budget is untouched: only that call failed.
    expect(rt.budget.aborted).toBe(false);
    await expect(rt.call('eks:DescribeCluster', async () => 'next')).resolves.toBe('next');
  });

  it('names the reason, not the SDK AbortError, when a client honours the signal', async () => {
    const rt = runtime({ callTimeoutMs: 30, maxAttempts: 1 });
    const error = await rejection(
      rt.call(
        'eks:ListClusters',
        (signal) =>
          new Promise((_, reject) =>
            signal.addEventListener('abort', () =>
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
            ),
          ),
      ),
    );
    expect(error).toBeInstanceOf(CallTimeout);
  });

  it('gives a call all its attempts and the pauses between them: callTimeoutMs x maxAttempts + allowance x retries', async () => {
    vi.useFakeTimers();
    const rt = runtime({ callTimeoutMs: 100, maxAttempts: 3, budgetMs: 60_000 });
    const limit = 100 * 3 + RETRY_PAUSE_ALLOWANCE_MS * 2;
    let outcome: unknown = 'pending';
    rt.call('iam:GetAccountAuthorizationDetails', () => never()).catch((e: unknown) => {
      outcome = e;
    });
    await vi.advanceTimersByTimeAsync(limit - 1);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(CallTimeout);
    expect((outcome as Error).message).toContain(`${limit / 1000} s`);
  });

  it('stops its budget timer on close', async () => {
    const rt = runtime({ budgetMs: 20 });
    rt.close();
    await sleep(50);
    expect(rt.budget.aborted).toBe(false);
  });
});

describe('CollectRuntime.pages', () => {
  it('follows tokens until a page has none, one pooled call per page', async () => {
    const rt = runtime();
    const book: Record<string, { items: string[]; next?: string }> = {
      first: { items: ['a', 'b'], next: 't1' },
      t1: { items: ['c'], next: 't2' },
      t2: { items: ['d', 'e'] },
    };
    const tokens: Array<string | undefined> = [];
    const items = await rt.pages(
      'eks:ListClusters',
      async (token) => {
        tokens.push(token);
        return book[token ?? 'first']!;
      },
      (page) => [page.items, page.next] as const,
    );
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tokens).toEqual([undefined, 't1', 't2']);
    expect(rt.calls.get('eks:ListClusters')).toBe(3);
  });

  it('treats a page without items as empty, and an empty token as the end', async () => {
    const rt = runtime();
    const items = await rt.pages(
      'eks:ListAddons',
      async (token) => (token ? { next: '' } : { next: 'more' }),
      (page: { items?: string[]; next: string }) => [page.items, page.next] as const,
    );
    expect(items).toEqual([]);
    expect(rt.calls.get('eks:ListAddons')).toBe(2);
  });

  it('stops with MalformedPage on a repeated token instead of looping', async () => {
    const rt = runtime();
    const fetch = vi.fn(async (token: string | undefined) =>
      token === undefined
        ? { items: [1], next: 'A' }
        : token === 'A'
          ? { items: [2], next: 'B' }
          : { items: [3], next: 'A' },
    );
    const error = await rejection(
      rt.pages('eks:ListClusters', fetch, (p) => [p.items, p.next] as const),
    );
    expect(error).toBeInstanceOf(MalformedPage);
    expect(error.message).toBe('eks:ListClusters answered the same page token twice');
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('stops with MalformedPage when a token repeats the one just sent', async () => {
    const rt = runtime();
    const error = await rejection(
      rt.pages(
        'organizations:ListAccounts',
        async () => ({ items: ['x'], next: 'same' }),
        (p) => [p.items, p.next] as const,
      ),
    );
    expect(error).toBeInstanceOf(MalformedPage);
    expect(rt.calls.get('organizations:ListAccounts')).toBe(2);
  });

  it.each([
    ['an object', { 0: 'a' }],
    ['a string', 'payments'],
    ['a number', 3],
    ['null', null],
  ])('stops with MalformedPage when the items are %s, not a list', async (_what, items) => {
    const rt = runtime();
    const error = await rejection(
      rt.pages(
        'eks:ListClusters',
        async () => ({ items }),
        (p) => [p.items as unknown as string[] | undefined, undefined] as const,
      ),
    );
    expect(error).toBeInstanceOf(MalformedPage);
    expect(error.message).toBe('eks:ListClusters answered a page whose items are not a list');
  });

  it(`stops with MalformedPage after ${MAX_PAGES} pages of fresh tokens`, async () => {
    const rt = runtime({ concurrency: 1 });
    let n = 0;
    const error = await rejection(
      rt.pages(
        'iam:GetAccountAuthorizationDetails',
        async () => ({ items: [n], next: `token-${n++}` }),
        (p) => [p.items, p.next] as const,
      ),
    );
    expect(error).toBeInstanceOf(MalformedPage);
    expect(error.message).toBe(
      `iam:GetAccountAuthorizationDetails did not end after ${MAX_PAGES} pages`,
    );
    expect(rt.calls.get('iam:GetAccountAuthorizationDetails')).toBe(MAX_PAGES);
  });

  it('fails the listing with the error of a page that fails', async () => {
    const rt = runtime();
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    await expect(
      rt.pages(
        'eks:ListClusters',
        async (token) => {
          if (token) throw denied;
          return { items: ['a'], next: 't1' };
        },
        (p) => [p.items, p.next] as const,
      ),
    ).rejects.toBe(denied);
  });
});

describe('attempt', () => {
  const on = {
    provider: 'aws' as const,
    scope: { account: '400000000001', region: 'eu-west-1' },
    types: ['aws.eks.cluster'],
    operation: 'eks:DescribeCluster',
  };

  it('returns the answer and records nothing when the read succeeds', async () => {
    const out: Collected = { resources: [], errors: [] };
    await expect(attempt(out, async () => 42, on)).resolves.toBe(42);
    expect(out.errors).toEqual([]);
  });

  it('records a failure as an error with its scope, types, operation and resourceId, and returns undefined', async () => {
    const out: Collected = { resources: [], errors: [] };
    const arn = 'arn:aws:eks:eu-west-1:400000000001:cluster/payments';
    const cause = Object.assign(
      new Error('User is not authorized to perform eks:DescribeCluster'),
      {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      },
    );
    const types = ['aws.eks.cluster'];
    const got = await attempt(out, () => Promise.reject(cause), { ...on, types, resourceId: arn });
    expect(got).toBeUndefined();
    expect(out.errors).toEqual([
      {
        provider: 'aws',
        scope: { account: '400000000001', region: 'eu-west-1' },
        types: ['aws.eks.cluster'],
        operation: 'eks:DescribeCluster',
        message:
          'AccessDeniedException: User is not authorized to perform eks:DescribeCluster (HTTP 403)',
        resourceId: arn,
      },
    ]);
    // The error holds its own copy of the types.
    types.push('aws.eks.addon');
    expect(out.errors[0]!.types).toEqual(['aws.eks.cluster']);
  });

  it('leaves resourceId out of an error about a whole scope', async () => {
    const out: Collected = { resources: [], errors: [] };
    await attempt(out, () => Promise.reject(new Error('boom')), on);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).not.toHaveProperty('resourceId');
    expect(out.errors[0]!.message).toBe('Error: boom');
  });
});

describe('collectionError', () => {
  it('builds an unscoped error for every type named', () => {
    const e = collectionError(
      'aws',
      {},
      ['aws.eks.cluster', 'aws.iam.policy'],
      'organizations:ListAccounts',
      Object.assign(new Error('You do not have access'), { name: 'AccessDeniedException' }),
    );
    expect(e).toEqual({
      provider: 'aws',
      scope: {},
      types: ['aws.eks.cluster', 'aws.iam.policy'],
      operation: 'organizations:ListAccounts',
      message: 'AccessDeniedException: You do not have access',
    });
  });
});

describe('failureText', () => {
  const named = (name: string, message: string, status?: number) =>
    Object.assign(new Error(message), {
      name,
      ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    });

  it.each([
    {
      name: 'name, message and HTTP status',
      cause: named('AccessDeniedException', 'User is not authorized', 403),
      text: 'AccessDeniedException: User is not authorized (HTTP 403)',
    },
    {
      name: 'no status when the service did not answer',
      cause: named('TimeoutError', 'a request has exceeded the configured 300 ms requestTimeout.'),
      text: 'TimeoutError: a request has exceeded the configured 300 ms requestTimeout.',
    },
    {
      name: 'the first line only',
      cause: named('ValidationException', 'line one  \nline two\nline three', 400),
      text: 'ValidationException: line one (HTTP 400)',
    },
    {
      name: "the SDK's deserialization message replaced (JSON)",
      cause: named(
        'SyntaxError',
        'Unexpected token \'<\', "<html>secret body</html>" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
        200,
      ),
      text: 'SyntaxError: the answer is not the JSON or XML the API documents (HTTP 200)',
    },
    {
      name: "the SDK's deserialization message replaced (XML)",
      cause: named(
        'Error',
        '@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
        200,
      ),
      text: 'Error: the answer is not the JSON or XML the API documents (HTTP 200)',
    },
    {
      name: 'a thrown string, first line',
      cause: 'something odd\nsecond line',
      text: 'something odd',
    },
    { name: 'a thrown undefined', cause: undefined, text: 'undefined' },
  ])('$name', ({ cause, text }) => {
    const got = failureText(cause);
    expect(got).toBe(text);
    expect(got).not.toContain('\n');
  });

  it('never quotes the body of an answer it cannot parse', () => {
    const got = failureText(
      named('SyntaxError', 'Unexpected token in JSON: {"AccessKeyId":"ASIAEXAMPLE"}', 200),
    );
    expect(got).not.toContain('ASIAEXAMPLE');
  });
});

describe('toWire', () => {
  it('drops $metadata and undefined, turns Dates into ISO strings, keeps null, recurses', () => {
    const wire = toWire({
      $metadata: { httpStatusCode: 200, requestId: 'r-1' },
      cluster: {
        name: 'payments',
        createdAt: new Date(Date.UTC(2026, 10, 26, 2, 0, 0)),
        tags: undefined,
        identity: null,
        logging: {
          clusterLogging: [
            { types: ['api'], enabled: true, since: new Date(0) },
            { types: [], enabled: false, $metadata: {} },
          ],
        },
        certificate: new Uint8Array([1, 2, 3]),
        version: '1.33',
        count: 0,
        flag: false,
      },
    });
    expect(wire).toEqual({
      cluster: {
        name: 'payments',
        createdAt: '2026-11-26T02:00:00.000Z',
        identity: null,
        logging: {
          clusterLogging: [
            { types: ['api'], enabled: true, since: '1970-01-01T00:00:00.000Z' },
            { types: [], enabled: false },
          ],
        },
        version: '1.33',
        count: 0,
        flag: false,
      },
    });
    expect(JSON.stringify(wire)).not.toContain('$metadata');
    expect(wire as object).not.toHaveProperty('cluster.tags');
    expect(wire as object).not.toHaveProperty('cluster.certificate');
  });

  it('converts top-level Dates and arrays, and leaves scalars alone', () => {
    expect(toWire(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toWire([new Date(0), 'x', 1, null])).toEqual(['1970-01-01T00:00:00.000Z', 'x', 1, null]);
    expect(toWire('text')).toBe('text');
    expect(toWire(7)).toBe(7);
    expect(toWire(null)).toBeNull();
  });
});
