/**
 * `npm run read-form` (scripts/read-form.ts): a saved page read with the adapters' own code,
 * one JSON object out; bad files and unknown exchanges get a clear message and a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const PAGES = join(REPO_ROOT, 'e2e/pages');
const work = mkdtempSync(join(tmpdir(), 'liqlens-read-form-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/read-form.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A demo page as the browser saves it once the user has typed: values in the inputs' value attributes. */
function saved(file: string, values: Record<string, string>): string {
  let html = readFileSync(join(PAGES, file), 'utf8');
  for (const [marker, value] of Object.entries(values)) {
    const before = html;
    html = html.replace(`${marker} `, `${marker} value="${value}" `);
    if (html === before) throw new Error(`no ${marker} in ${file}`);
  }
  const path = join(work, file.replaceAll('/', '_'));
  writeFileSync(path, html.replaceAll(' value="" ', ' '));
  return path;
}

describe('npm run read-form', () => {
  it('prints the reading of a saved Binance page (Simplified Chinese) as one JSON object', { timeout: 60_000 }, () => {
    const path = saved('www.binance.com/zh-CN/futures/BTCUSDT.html', {
      '<input id="limitPrice-123"': '64,000',
      '<input id="unitAmount-618"': '0.25',
    });
    const { status, stdout, stderr } = run(['binance', path]);
    expect(status, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      exchange: 'binance',
      form: true,
      fields: { orderType: 'limit', entry: 64_000, leverage: 20, marginMode: 'cross', size: 0.25, sizeUnit: 'BTC' },
      missing: ['side', 'stop', 'takeProfit'],
    });
  });

  it('reads a saved OKX page: contracts as the unit, the side from a stop above the entry, the short side’s leverage', { timeout: 60_000 }, () => {
    const path = saved('www.okx.com/trade-swap/btc-usdt-swap.html', {
      '<input id="okui-input-7"': '64000',
      '<input class="okui-input-input" inputmode="decimal" autocomplete="off" placeholder="Single contract value 0.01 BTC"': '12',
      '<input class="okui-input-input" aria-label="slTriggerPx"': '64,900',
    });
    const { status, stdout, stderr } = run(['okx', path]);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      exchange: 'okx',
      form: true,
      fields: { side: 'short', orderType: 'limit', entry: 64_000, stop: 64_900, leverage: 20, marginMode: 'cross', size: 12, sizeUnit: 'contracts' },
      missing: ['takeProfit'],
    });
  });

  it('reads a page saved as one MHTML file (quoted-printable HTML part)', { timeout: 60_000 }, () => {
    const html = readFileSync(saved('www.bybit.com/trade/usdt/BTCUSDT.html', { '<input class="by-input__inner" inputmode="decimal" autocomplete="off"': '64000' }), 'utf8');
    // Quoted-printable as browsers write it: `=` escaped, long lines broken with soft breaks, UTF-8 bytes escaped.
    const qp = Buffer.from(html, 'utf8')
      .toString('latin1')
      .replace(/[=\u0080-\u00ff]/g, (ch) => `=${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
      .replace(/(.{70})/g, '$1=\r\n');
    const mhtml = [
      'From: <Saved by Blink>',
      'Snapshot-Content-Location: https://www.bybit.com/trade/usdt/BTCUSDT',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"',
      '',
      '------MultipartBoundary--abc----',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: https://www.bybit.com/trade/usdt/BTCUSDT',
      '',
      qp,
      '------MultipartBoundary--abc------',
      '',
    ].join('\r\n');
    const path = join(work, 'bybit.mhtml');
    writeFileSync(path, mhtml);
    const { status, stdout, stderr } = run(['bybit', path]);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ form: true, fields: { orderType: 'limit', entry: 64_000, leverage: 10 } });
  });

  it('reads an untouched form: the order type, the leverage and the size unit, nothing typed', { timeout: 60_000 }, () => {
    const { status, stdout, stderr } = run(['okx', join(PAGES, 'www.okx.com/trade-swap/btc-usdt-swap.html')]);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      exchange: 'okx',
      form: true,
      fields: { orderType: 'limit', leverage: 10, marginMode: 'cross', sizeUnit: 'contracts' },
      missing: ['side', 'entry', 'stop', 'takeProfit', 'size'],
    });
  });

  it('says form: false for a page without an order form', { timeout: 60_000 }, () => {
    const path = join(work, 'no-form.html');
    writeFileSync(path, '<!doctype html><html><body><header><a>Buy Crypto</a></header><p>Markets</p></body></html>');
    const { status, stdout } = run(['bybit', path]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ exchange: 'bybit', form: false, fields: {}, missing: ['side', 'orderType', 'entry', 'stop', 'takeProfit', 'leverage', 'marginMode', 'size', 'sizeUnit'] });
  });

  it('refuses an unknown exchange, a missing, empty or non-HTML file with a clear message and a non-zero exit', { timeout: 60_000 }, () => {
    const page = join(PAGES, 'www.bybit.com/trade/usdt/BTCUSDT.html');
    const unknown = run(['ftx', page]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown exchange "ftx" (known: binance, bybit, okx, bitget, hyperliquid)');
    expect(unknown.stdout).toBe('');

    const missing = run(['bybit', join(work, 'nope.html')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.html: no such file/);

    const empty = join(work, 'empty.html');
    writeFileSync(empty, '');
    expect(run(['bybit', empty])).toMatchObject({ status: 1, stderr: expect.stringContaining('is empty') });

    const binary = join(work, 'page.png');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(run(['bybit', binary])).toMatchObject({ status: 1, stderr: expect.stringContaining('not an HTML page') });

    expect(run(['bybit'])).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: npm run read-form') });
    expect(run(['bybit', work])).toMatchObject({ status: 1, stderr: expect.stringContaining('is not a file') });
  });
});
