/**
 * Runs the replay server standalone: `npx tsx scripts/replay-server.ts [options]`.
 *
 *   --port N          port to listen on (default: a free one)
 *   --data DIR        recorded data (default: ../shared/data beside the repository)
 *   --now ISO|MS      replay "now" (default: end of the recording)
 *   --speed X         replay clock speed (default 0: frozen; 1: wall speed)
 *   --ws-speed X      websocket replay pace (default 1: as recorded)
 *   --pages DIR       static demo pages, <DIR>/<host>/<path>
 *
 * Prints the port, the `--host-resolver-rules` value and the certificate key fingerprint for
 * Chromium, then serves until Ctrl-C.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, startReplayServer } from '../test-support/replay-server/index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    now: { type: 'string' },
    speed: { type: 'string' },
    'ws-speed': { type: 'string' },
    pages: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  console.log('usage: tsx scripts/replay-server.ts [--port N] [--data DIR] [--now ISO|MS] [--speed X] [--ws-speed X] [--pages DIR]');
  process.exit(0);
}

const number = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${raw}`);
  return value;
};

const server = await startReplayServer({
  port: number('port', values.port) ?? 0,
  dataDir: values.data ? resolve(values.data) : defaultDataDir(),
  now: values.now === undefined ? undefined : /^\d+$/.test(values.now) ? Number(values.now) : values.now,
  speed: number('speed', values.speed),
  wsSpeed: number('ws-speed', values['ws-speed']),
  pagesDir: values.pages ? resolve(values.pages) : undefined,
});

console.log(`replay server listening on ${server.url} (port ${server.port})`);
console.log(`replay now: ${new Date(server.now()).toISOString()}`);
console.log(`hosts: ${server.hosts.join(', ')}`);
console.log(`chromium flags:`);
console.log(`  --host-resolver-rules="${server.hostResolverRules}"`);
console.log(`  --ignore-certificate-errors-spki-list=${server.spkiFingerprint}`);
console.log(`certificate: ${server.certFile}`);
console.log(`control API: ${server.url}/__replay/{requests,faults,clock,cert}`);

const shutdown = () => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
