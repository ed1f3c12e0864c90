/**
 * Secrets Manager by ARN: the read goes to the secret's own region, and a failure names the ARN
 * only, never a value. A fake client stands in for the SDK's (moto serves the pipeline test).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  SecretReadError,
  secretRegion,
  secretsManagerReader,
} from '../../functions/collect/secrets.ts';

const ARN = 'arn:aws:secretsmanager:ap-southeast-2:111122223333:secret:pci/azure-app-AbCdEf';

/** A client whose `send` answers `answer` (or throws it), recording the regions asked for. */
function fake(answer: unknown, regions: string[]) {
  return (region: string) => {
    regions.push(region);
    return {
      send: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as unknown as SecretsManagerClient;
  };
}

describe('secretsManagerReader', () => {
  it("reads the secret in its own region (the ARN's), not the function's", async () => {
    const regions: string[] = [];
    const read = secretsManagerReader(fake({ SecretString: 's3cr3t-value' }, regions));
    await expect(read(ARN)).resolves.toBe('s3cr3t-value');
    expect(regions).toEqual(['ap-southeast-2']);
    expect(secretRegion(ARN)).toBe('ap-southeast-2');
  });

  it.each([
    [
      'access denied',
      Object.assign(new Error('User is not authorized; value s3cr3t'), {
        name: 'AccessDeniedException',
      }),
      /^secret arn:aws:secretsmanager:ap-southeast-2:111122223333:secret:pci\/azure-app-AbCdEf could not be read: AccessDeniedException$/,
    ],
    [
      'a binary secret',
      { SecretBinary: new Uint8Array([1, 2]) },
      /it has no SecretString \(binary secrets are not read\)$/,
    ],
  ])(
    '%s: a SecretReadError naming the ARN and the reason, nothing else',
    async (_, answer, message) => {
      const read = secretsManagerReader(fake(answer, []));
      const err = await read(ARN).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretReadError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('s3cr3t');
    },
  );

  it('makes one client per region and keeps it for later reads there', async () => {
    const regions: string[] = [];
    const read = secretsManagerReader(fake({ SecretString: 'x' }, regions));
    await read(ARN);
    await read(ARN);
    await read('arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-AbCdEf');
    expect(regions).toEqual(['ap-southeast-2', 'eu-west-1']);
  });

  it('refuses what is not a secret ARN before any call', async () => {
    const regions: string[] = [];
    const read = secretsManagerReader(fake({ SecretString: 'x' }, regions));
    await expect(read('not-an-arn')).rejects.toThrow(/not a Secrets Manager secret ARN/);
    expect(regions).toEqual([]);
  });
});
