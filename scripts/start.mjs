#!/usr/bin/env node
// `npm start`: builds the extension and runs the estimator on real recorded Binance BTCUSDT data,
// writing the heatmap picture and the pools, so a newcomer sees the engine work without exchange
// access. (The in-browser demo against a local replay of the same data is being built.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(root, '../shared/data/binance-btcusdt-5m-ohlc-oi-funding-cvd.csv');
const out = resolve(root, 'demo-out');

function run(label, command, args) {
  console.log(`\n> ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

run('building the extension (Chrome MV3) into .output/chrome-mv3', 'npx', ['wxt', 'build']);
if (!existsSync(data)) {
  console.error(`recorded data not found at ${data}: the repository expects shared/data beside it`);
  process.exit(1);
}
run('estimating liquidation pools on recorded Binance BTCUSDT 5m data', 'npx', ['tsx', 'scripts/estimate.ts', data, '--out', out, '--png']);
console.log(`\nHeatmap picture and estimate: ${out}`);
console.log(`Extension build: ${resolve(root, '.output/chrome-mv3')} (load it unpacked in Chromium)`);
