/** What the handlers log passes through `errorLine` / `redactText`: secret shapes never survive. */
import { describe, expect, it } from 'vitest';
import { errorLine, redactText } from '../../functions/handlers/observability.ts';

describe('redactText', () => {
  it.each([
    ['an access key id', 'denied for AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['a temporary key id', 'session ASIAZZZZZZZZZZZZZZZZ expired', 'ASIAZZZZZZZZZZZZZZZZ'],
    [
      'a bearer token',
      'GET / with Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig',
      'eyJhbGciOiJSUzI1NiJ9',
    ],
    ['an EKS token', 'token k8s-aws-v1.aHR0cHM6Ly9zdHM refused', 'aHR0cHM6Ly9zdHM'],
    ['a secret assignment', 'config client_secret="s3cr3t-value" rejected', 's3cr3t-value'],
    ['a password field', '{"password": "hunter22"}', 'hunter22'],
    [
      'a private key',
      'bad key -----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY----- here',
      'MIGHAgEA',
    ],
  ])('removes %s', (_, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/REDACTED/);
  });

  it('leaves ordinary messages alone, and errorLine gives name and message without the stack', () => {
    const text =
      'AccessDeniedException: User arn:aws:sts::111122223333:assumed-role/x is not authorized';
    expect(redactText(text)).toBe(text);
    const err = new TypeError('bad token=abc');
    expect(errorLine(err)).toBe('TypeError: bad token=[REDACTED]');
    expect(errorLine('plain')).toBe('plain');
  });
});
