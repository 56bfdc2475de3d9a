/**
 * `npm run size`: the built Chrome extension's file sizes, raw and gzip, against the budgets in
 * `lib/size-budget.ts`; exits 1 when a budgeted bundle is over budget or missing. Builds first
 * when there is no build (or with `--build`). `--json` prints one JSON line per file instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkBudgets, formatReport, measure, type SizeRow } from './lib/size-budget';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.output/chrome-mv3');
const args = new Set(process.argv.slice(2));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

if (args.has('--build') || !existsSync(join(OUT, 'manifest.json'))) {
  const built = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const measured: SizeRow[] = files(OUT)
  .filter((path) => /\.(js|css|html)$/.test(path))
  .map((path) => measure(relative(OUT, path).split('\\').join('/'), readFileSync(path)));
const report = checkBudgets(measured);
if (args.has('--json')) {
  for (const row of report.rows) console.log(JSON.stringify(row));
} else {
  console.log(`Built sizes (${relative(ROOT, OUT)}):`);
  for (const line of formatReport(report)) console.log(`  ${line}`);
}
if (!report.ok) {
  console.error('size: over budget (see above)');
  process.exit(1);
}
