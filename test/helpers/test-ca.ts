/**
 * A throwaway certificate authority for tests, made at test time with the `openssl` CLI (nothing
 * committed): a CA, a server certificate for 127.0.0.1 and localhost that it signed, and
 * self-signed client certificates (an Entra app's certificate credential). Local HTTPS servers
 * (ARM, Entra, Kubernetes API) present the server certificate; clients trust `ca`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a server certificate it signed, all PEM. */
export interface TestCa {
  /** The CA certificate: what clients trust. */
  ca: string;
  /** The server certificate (SAN IP:127.0.0.1, DNS:localhost) and its private key. */
  cert: string;
  key: string;
}

function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pci-posture-ca-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openssl = (dir: string, args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

let cached: TestCa | undefined;

/**
 * The test CA of this process (made once, about 100 ms): an EC P-256 CA valid for 2 days and a
 * server certificate for 127.0.0.1 and localhost.
 *
 * @example const { ca, cert, key } = testCa(); https.createServer({ cert, key }, handler);
 */
export function testCa(): TestCa {
  cached ??= inTempDir((dir) => {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=pci-posture test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(dir, [
      'req',
      ...ec,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    ]);
    writeFileSync(
      join(dir, 'server.ext'),
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '',
      ].join('\n'),
    );
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]);
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
    };
  });
  return cached;
}

/**
 * A fresh self-signed RSA 2048 certificate and its unencrypted PKCS#8 key (an Entra app's
 * certificate credential: Entra signs client assertions with RSA).
 *
 * @example const { cert, key } = selfSignedCertificate('pci-posture-scanner'); const pem = cert + key;
 */
export function selfSignedCertificate(commonName: string): { cert: string; key: string } {
  return inTempDir((dir) => {
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'client.key',
      '-out',
      'client.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
    ]);
    return {
      cert: readFileSync(join(dir, 'client.pem'), 'utf8'),
      key: readFileSync(join(dir, 'client.key'), 'utf8'),
    };
  });
}
