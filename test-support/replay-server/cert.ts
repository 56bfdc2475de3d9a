/**
 * Self-signed TLS certificate for the replay server, made with openssl at start.
 * One certificate covers every exchange host the server answers (subjectAltName), plus
 * localhost and 127.0.0.1. It is its own issuer, so a client can trust exactly this
 * certificate (`ca: certPem` in Node), or a browser can skip checks for it by key
 * (`--ignore-certificate-errors-spki-list=<spkiFingerprint>`).
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReplayCertificate {
  certPem: string;
  keyPem: string;
  /** Base64 SHA-256 of the public key (SPKI), the form Chromium's `--ignore-certificate-errors-spki-list` takes. */
  spkiFingerprint: string;
  /** Path of the PEM file (kept until `dispose()`), e.g. for `NODE_EXTRA_CA_CERTS`. */
  certFile: string;
  dispose(): void;
}

export function generateCertificate(hosts: readonly string[]): ReplayCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'liqlens-replay-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const configFile = join(dir, 'openssl.cnf');
  const dnsNames = [...new Set([...hosts, 'localhost'])];
  const altNames = [...dnsNames.map((h, i) => `DNS.${i + 1} = ${h}`), 'IP.1 = 127.0.0.1', 'IP.2 = ::1'];
  writeFileSync(
    configFile,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = ext',
      'prompt = no',
      '[dn]',
      'CN = LiqLens replay server',
      '[ext]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = @alt',
      '[alt]',
      ...altNames,
      '',
    ].join('\n'),
  );
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyFile, '-out', certFile, '-days', '30', '-config', configFile,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl could not create the replay server certificate: ${String(err)}`);
  }
  const certPem = readFileSync(certFile, 'utf8');
  const keyPem = readFileSync(keyFile, 'utf8');
  rmSync(keyFile);
  const spki = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return {
    certPem,
    keyPem,
    spkiFingerprint: createHash('sha256').update(spki).digest('base64'),
    certFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
