/**
 * Built bundle sizes against their budgets (raw and gzip), for `npm run size`. Pure: the caller
 * reads the files; here only the sizes are measured and compared.
 */
import { gzipSync } from 'node:zlib';

export interface Budget {
  /** Path inside the build folder, e.g. `background.js`. */
  readonly file: string;
  /** Largest gzip size allowed, bytes. */
  readonly maxGzipBytes: number;
  /** What it is, for the report. */
  readonly label: string;
  /**
   * Files the budgeted file loads at run time, counted in its budget (each gzip'd on its own, as
   * the extension's zip stores them).
   */
  readonly alsoCounts?: RegExp;
}

export const KB = 1024;

/** Each part loaded on demand (one file each). */
export const ON_DEMAND_MAX_GZIP = 12 * KB;

/**
 * The extension's budgets: the content script runs on every exchange page load, so it stays
 * small, and all the code it loads counts (its first file and the chunks it imports after; not the
 * parts it loads only when the user asks, `content-chunks/on-demand-*.js`, budgeted on their own); the
 * background carries ccxt's five exchange modules.
 */
export const BUDGETS: readonly Budget[] = [
  { file: 'content-scripts/content.js', maxGzipBytes: 60 * KB, label: 'content script with its chunks', alsoCounts: /^content-chunks\/(?!on-demand-)[^/]+\.js$/ },
  // Parts loaded on demand, not on the page's load: the picker when the user asks ("Point to a
  // field…"), the order check's engine once an order form is found. Each is one import, its
  // chunks run in short steps.
  { file: 'content-chunks/on-demand-picker.js', maxGzipBytes: ON_DEMAND_MAX_GZIP, label: 'field picker, loaded on demand' },
  { file: 'content-chunks/on-demand-order-check.js', maxGzipBytes: ON_DEMAND_MAX_GZIP, label: 'order check engine, loaded on demand' },
  { file: 'background.js', maxGzipBytes: 350 * KB, label: 'background (five exchanges)' },
];

export interface SizeRow {
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** Set for files with a budget. */
  readonly budgetGzipBytes?: number;
  readonly label?: string;
  /** False when over budget; true when within; undefined without a budget. */
  readonly withinBudget?: boolean;
  /** For a budget that counts other files too: the sizes of all of them together. */
  readonly counted?: { readonly files: number; readonly rawBytes: number; readonly gzipBytes: number };
}

export interface SizeReport {
  readonly rows: readonly SizeRow[];
  /** Budgets whose file is not in the build. */
  readonly missing: readonly string[];
  readonly ok: boolean;
}

/** Raw and gzip (level 9, like a store's transfer) size of one file's bytes. */
export function measure(file: string, bytes: Uint8Array): SizeRow {
  return { file, rawBytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength };
}

/**
 * Compares measured files to the budgets. A budgeted file that is missing fails the check (a
 * renamed bundle must not escape its budget).
 * @example checkBudgets([{ file: 'background.js', rawBytes: 1e6, gzipBytes: 300_000 }]).ok // false: content script missing
 */
export function checkBudgets(measured: readonly SizeRow[], budgets: readonly Budget[] = BUDGETS): SizeReport {
  const byFile = new Map(budgets.map((b) => [b.file, b]));
  const rows = measured.map((row): SizeRow => {
    const budget = byFile.get(row.file);
    if (!budget) return row;
    const pattern = budget.alsoCounts;
    if (!pattern) return { ...row, budgetGzipBytes: budget.maxGzipBytes, label: budget.label, withinBudget: row.gzipBytes <= budget.maxGzipBytes };
    const parts = [row, ...measured.filter((r) => pattern.test(r.file))];
    const counted = { files: parts.length, rawBytes: sum(parts.map((r) => r.rawBytes)), gzipBytes: sum(parts.map((r) => r.gzipBytes)) };
    return { ...row, counted, budgetGzipBytes: budget.maxGzipBytes, label: budget.label, withinBudget: counted.gzipBytes <= budget.maxGzipBytes };
  });
  const present = new Set(measured.map((r) => r.file));
  const missing = budgets.filter((b) => !present.has(b.file)).map((b) => b.file);
  return { rows, missing, ok: missing.length === 0 && rows.every((r) => r.withinBudget !== false) };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `12.3 KB` */
export function formatKb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}

/** The report as text lines, budgeted files first. */
export function formatReport(report: SizeReport): string[] {
  const rows = [...report.rows].sort((a, b) => Number(b.budgetGzipBytes !== undefined) - Number(a.budgetGzipBytes !== undefined) || b.gzipBytes - a.gzipBytes);
  const width = Math.max(...rows.map((r) => r.file.length), 10);
  const lines = rows.map((r) => {
    const base = `${r.file.padEnd(width)}  ${formatKb(r.rawBytes).padStart(10)} raw  ${formatKb(r.gzipBytes).padStart(9)} gzip`;
    if (r.budgetGzipBytes === undefined) return base;
    const counted = r.counted ? `  with the files it loads (${r.counted.files} files): ${formatKb(r.counted.rawBytes)} raw, ${formatKb(r.counted.gzipBytes)} gzip` : '';
    return `${base}${counted}  budget ${formatKb(r.budgetGzipBytes)} gzip  ${r.withinBudget ? 'ok' : 'OVER BUDGET'} (${r.label})`;
  });
  for (const file of report.missing) lines.push(`${file}: missing from the build (it has a budget)`);
  return lines;
}
