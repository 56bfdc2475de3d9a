/** `npm run size`'s check: gzip measurement, budgets met, exceeded, or escaped by a missing bundle. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUDGETS, checkBudgets, formatReport, KB, measure } from '../scripts/lib/size-budget';

const budgets = [{ file: 'background.js', maxGzipBytes: 100, label: 'background' }];

describe('size budgets', () => {
  it('measures raw and gzip bytes: repetitive text compresses, random bytes do not', () => {
    const text = measure('a.js', new TextEncoder().encode('const x = 1;\n'.repeat(1000)));
    expect(text.rawBytes).toBe(13_000);
    expect(text.gzipBytes).toBeLessThan(200);
    const noise = measure('b.js', randomBytes(10_000));
    expect(noise.gzipBytes).toBeGreaterThan(10_000);
  });

  it('passes within budget and marks unbudgeted files neither way', () => {
    const report = checkBudgets(
      [
        { file: 'background.js', rawBytes: 400, gzipBytes: 100 },
        { file: 'popup.js', rawBytes: 9_999_999, gzipBytes: 9_999_999 },
      ],
      budgets,
    );
    expect(report.ok).toBe(true);
    expect(report.rows[0]).toMatchObject({ withinBudget: true, budgetGzipBytes: 100 });
    expect(report.rows[1]!.withinBudget).toBeUndefined();
  });

  it('fails one byte over budget, and when a budgeted file is missing', () => {
    const over = checkBudgets([{ file: 'background.js', rawBytes: 400, gzipBytes: 101 }], budgets);
    expect(over.ok).toBe(false);
    expect(formatReport(over).join('\n')).toContain('OVER BUDGET');
    const missing = checkBudgets([{ file: 'other.js', rawBytes: 1, gzipBytes: 1 }], budgets);
    expect(missing).toMatchObject({ ok: false, missing: ['background.js'] });
    expect(formatReport(missing).join('\n')).toContain('background.js: missing');
  });

  it('counts the files a budgeted file loads (the content script and its chunks) in its budget', () => {
    const withChunks = [{ file: 'content.js', maxGzipBytes: 100, label: 'content', alsoCounts: /^chunks\// }];
    const rows = [
      { file: 'content.js', rawBytes: 100, gzipBytes: 40 },
      { file: 'chunks/a.js', rawBytes: 100, gzipBytes: 30 },
      { file: 'chunks/b.js', rawBytes: 100, gzipBytes: 30 },
      { file: 'other.js', rawBytes: 100, gzipBytes: 90 },
    ];
    const within = checkBudgets(rows, withChunks);
    expect(within.ok).toBe(true);
    expect(within.rows[0]).toMatchObject({ counted: { files: 3, rawBytes: 300, gzipBytes: 100 }, withinBudget: true });
    const over = checkBudgets([...rows, { file: 'chunks/c.js', rawBytes: 1, gzipBytes: 1 }], withChunks);
    expect(over.ok).toBe(false);
    expect(formatReport(over).join('\n')).toContain('4 files');
  });

  it('budgets the content script at 60 KB and the background at 350 KB gzip', () => {
    expect(BUDGETS.map((b) => [b.file, b.maxGzipBytes])).toEqual([
      ['content-scripts/content.js', 60 * KB],
      ['content-chunks/on-demand-picker.js', 12 * KB],
      ['content-chunks/on-demand-order-check.js', 12 * KB],
      ['background.js', 350 * KB],
    ]);
    // Everything the content script imports on the page's load counts toward its budget; a part
    // loaded only when the user asks for it has a budget of its own.
    expect(BUDGETS[0]!.alsoCounts?.test('content-chunks/panel.js')).toBe(true);
    expect(BUDGETS[0]!.alsoCounts?.test('content-chunks/other.js')).toBe(true);
    expect(BUDGETS[0]!.alsoCounts?.test('content-chunks/on-demand-picker.js')).toBe(false);
    expect(BUDGETS[0]!.alsoCounts?.test('content-chunks/on-demand-order-check.js')).toBe(false);
  });
});
