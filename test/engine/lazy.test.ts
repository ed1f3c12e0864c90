import { describe, expect, it } from 'vitest';
import { lazyAsync } from '../../functions/lazy.ts';

describe('lazyAsync', () => {
  it('makes the value once; callers waiting meanwhile share it', async () => {
    let made = 0;
    const value = lazyAsync(async () => ++made);
    const [a, b] = await Promise.all([value(), value()]);
    expect([a, b, await value(), made]).toEqual([1, 1, 1, 1]);
  });

  it('keeps no failure: the next call makes it again', async () => {
    let calls = 0;
    const value = lazyAsync(async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return 'ok';
    });
    await expect(value()).rejects.toThrow('transient');
    expect(await value()).toBe('ok');
    expect(calls).toBe(2);
  });
});
