import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** Repository root; the recorded data sits beside it (../shared/data), as in CI. */
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DATA_30M = resolve(REPO_ROOT, '../shared/data/btc-30m-agg3ex-with-liquidations.csv');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const work = mkdtempSync(join(tmpdir(), 'liqlens-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['tsx', 'scripts/estimate.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const HEADER = 'timestamp,open,high,low,close,open_interest_usd';

describe('npm run estimate (scripts/estimate.ts)', () => {
  it('estimates the recorded 30m file and writes estimate.json, per-bar.csv and heatmap.png', { timeout: 120_000 }, () => {
    const out = join(work, 'out-30m');
    const { status, stdout, stderr } = runCli([DATA_30M, '--out', out, '--png']);
    expect(status, stderr).toBe(0);

    const perBar = readFileSync(join(out, 'per-bar.csv'), 'utf8').trimEnd().split('\n');
    expect(perBar[0]).toBe('timestamp,est_long_usd,est_short_usd');
    expect(perBar).toHaveLength(877);
    expect(perBar[1]).toMatch(/^1779357600000,\d+\.\d{2},\d+\.\d{2}$/);
    for (const row of perBar.slice(1)) expect(row).toMatch(/^\d{13},\d+\.\d{2},\d+\.\d{2}$/);

    const json = JSON.parse(readFileSync(join(out, 'estimate.json'), 'utf8'));
    expect(Array.isArray(json.pools)).toBe(true);
    expect(json.map.price).toBeCloseTo(63828.34, 4);
    expect(Array.isArray(json.map.priceEdges)).toBe(true);
    expect(json.map.long).toHaveLength(json.map.priceEdges.length - 1);
    expect(json.map.short).toHaveLength(json.map.priceEdges.length - 1);
    expect(json.map.cumulativeLong).toHaveLength(json.map.priceEdges.length - 1);
    expect(json.context.price).toBeCloseTo(63828.34, 4);
    expect(json.context.reliability.score).toBeGreaterThan(0);
    expect(json.input).toMatchObject({ layout: 'regime-export', bars: 876, fundingUnit: 'percent', timeframeMs: 1_800_000 });
    expect(json.input.realized.bars).toBe(876);
    expect(json.heatmap).toMatchObject({ columns: 876, rows: 500, png: 'heatmap.png' });

    const png = readFileSync(join(out, 'heatmap.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBe(600); // IHDR height

    expect(stdout).toContain('876 x 30m');
    expect(stdout).toContain('pools above price');
    expect(stdout).toContain('pools below price');
    expect(stdout).toContain(join(out, 'heatmap.png'));
  });

  it('rejects a non-numeric cell with the file, line and column, exit 1, no stack trace', { timeout: 120_000 }, () => {
    const file = join(work, 'bad-cell.csv');
    writeFileSync(file, [HEADER, '1767225600000,100,101,99,100.5,1000000', '1767225900000,100,1o1,99,100.5,1000000'].join('\r\n'));
    const { status, stderr } = runCli([file, '--out', join(work, 'out-bad')]);
    expect(status).toBe(1);
    expect(stderr).toContain('bad-cell.csv');
    expect(stderr).toContain('line 3');
    expect(stderr).toContain('"high"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'out-bad', 'per-bar.csv'))).toBe(false);
  });

  it('maps an engine input error (high below low) back to the file line and column', { timeout: 120_000 }, () => {
    const file = join(work, 'bad-bar.csv');
    const rows = [HEADER, '1767225600000,100,101,99,100.5,1000000', '1767225900000,100,101,99,100.5,1000000', '1767226200000,100,98,99,99,1000000'];
    writeFileSync(file, `${rows.join('\n')}\n`);
    const { status, stderr } = runCli([file, '--out', join(work, 'out-bad-bar')]);
    expect(status).toBe(1);
    expect(stderr).toContain('bad-bar.csv');
    expect(stderr).toContain('line 4');
    expect(stderr).toContain('"high"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing file with exit 1 and an unknown flag with usage and exit 2', { timeout: 120_000 }, () => {
    const missing = runCli([join(work, 'nope.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.csv');
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const unknown = runCli([DATA_30M, '--colour', 'red']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--colour');
    expect(unknown.stderr).toContain('usage: npm run estimate');

    const badUnit = runCli([DATA_30M, '--funding-unit', 'bps']);
    expect(badUnit.status).toBe(2);
    expect(badUnit.stderr).toContain('--funding-unit');
  });
});
