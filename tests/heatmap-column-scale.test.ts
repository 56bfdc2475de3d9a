/**
 * Heatmap columns written in the state's own units with one factor per column (`columnScale`):
 * the USD they give are those of sampling the ladder directly at each bar, to float32 rounding,
 * and every reader (cell helper, compact view, raster) applies the factor.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../src/engine/config';
import { estimate } from '../src/engine/estimate';
import { BucketBinning, Estimator } from '../src/engine/estimator';
import { columnFactor, heatmapCell } from '../src/engine/heatmap-cells';
import type { ExchangeSeries, Heatmap } from '../src/engine/types';
import { renderHeatmapRgba } from '../src/render/heatmap-raster';
import { toHeatmapView } from '../src/worker/compact';
import { usdCells } from './support/checks';
import { binance5m, sliceSeries } from './support/recorded';

/** Each column sampled straight from the ladder after its last bar (no running grid). */
function directColumns(input: ExchangeSeries, heatmap: Heatmap, config: Partial<EngineConfig>, barsPerColumn = 1): Float32Array {
  const { columns, rows, priceEdges } = heatmap;
  const out = new Float32Array(columns * rows);
  const estimator = new Estimator({ config });
  const binning = new BucketBinning();
  const first = input.bars.length - columns * barsPerColumn;
  estimator.append([input], (index) => {
    const offset = index - first;
    if (offset >= 0 && (offset + 1) % barsPerColumn === 0) estimator.sampleInto(priceEdges, out, Math.floor(offset / barsPerColumn) * rows, binning);
  });
  return out;
}

function expectSameUsd(heatmap: Heatmap, direct: Float32Array): void {
  const usd = usdCells(heatmap);
  const { columns, rows } = heatmap;
  for (let c = 0; c < columns; c++) {
    let top = 0;
    for (let r = 0; r < rows; r++) top = Math.max(top, direct[c * rows + r]!);
    for (let r = 0; r < rows; r++) {
      const i = c * rows + r;
      // Float32 cells (relative 6e-8) and the running grid's sums of additions and removals.
      if (Math.abs(usd[i]! - direct[i]!) > 1e-6 * top + 1e-9) expect.fail(`column ${c} row ${r}: ${usd[i]} USD, sampled ${direct[i]}`);
    }
  }
}

describe('heatmap columns with a per-column factor', () => {
  it('one column per bar gives the USD of sampling the ladder at each bar (recorded 5m series)', () => {
    const input = sliceSeries(binance5m(), 0, 2500);
    const { heatmap } = estimate([input], { heatmap: { columns: 1500, rows: 200 } });
    expect(heatmap.columnScale).toBeInstanceOf(Float64Array);
    // The factor carries the decay: it changes from column to column.
    expect(columnFactor(heatmap, 0)).not.toBe(columnFactor(heatmap, heatmap.columns - 1));
    expectSameUsd(heatmap, directColumns(input, heatmap, {}));
    let max = 0;
    for (const v of usdCells(heatmap)) max = Math.max(max, v);
    expect(heatmap.maxCell).toBe(max);
  });

  it('several bars per column give the USD of sampling the ladder at each column\'s last bar', () => {
    const input = sliceSeries(binance5m(), 0, 2500);
    const { heatmap } = estimate([input], { heatmap: { columns: 150, barsPerColumn: 12, rows: 200 } });
    expect(columnFactor(heatmap, 0)).not.toBe(columnFactor(heatmap, heatmap.columns - 1));
    expectSameUsd(heatmap, directColumns(input, heatmap, {}, 12));
    let max = 0;
    for (const v of usdCells(heatmap)) max = Math.max(max, v);
    expect(heatmap.maxCell).toBe(max);
  });

  it('bins whose buckets run past the ladder\'s end take the general sum and give the same USD', () => {
    const input = sliceSeries(binance5m(), 0, 1500);
    const price = input.bars.at(-1)!.close;
    // The ladder reaches 4x the price: bins up to 5x leave their padding outside it.
    const { heatmap } = estimate([input], { heatmap: { columns: 600, rows: 400, priceLow: price * 0.5, priceHigh: price * 5 } });
    expectSameUsd(heatmap, directColumns(input, heatmap, {}));
    const estimator = new Estimator();
    estimator.append([input]);
    const binning = new BucketBinning();
    estimator.sampleInto(heatmap.priceEdges, new Float32Array(heatmap.rows), 0, binning);
    expect(binning.rowMajor().rowsConsecutive).toBe(false);
    const near = estimate([input], { heatmap: { columns: 600, rows: 400 } }).heatmap;
    estimator.sampleInto(near.priceEdges, new Float32Array(near.rows), 0, binning);
    expect(binning.rowMajor().rowsConsecutive).toBe(true);
  });

  it('holds through fast decay: the columns re-base their units and the state renormalizes (half-life 15 min)', () => {
    const config: Partial<EngineConfig> = { tiers: DEFAULT_CONFIG.tiers.map((tier) => ({ ...tier, halfLifeHours: 0.25 })) };
    // 2,000 bars of 5m: the decay alone is 2^-667, past float32's range and the state's renormalization.
    const input = sliceSeries(binance5m(), 0, 2000);
    const { heatmap } = estimate([input], { config, heatmap: { columns: 1900, rows: 120 } });
    const usd = usdCells(heatmap);
    expect(usd.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(usd.some((v) => v > 0)).toBe(true);
    expectSameUsd(heatmap, directColumns(input, heatmap, config));
  });

  it('several decay groups write USD with factor 1', () => {
    const config: Partial<EngineConfig> = { tiers: DEFAULT_CONFIG.tiers.map((tier, i) => ({ ...tier, halfLifeHours: i < 4 ? 72 : 12 })) };
    const input = sliceSeries(binance5m(), 0, 1200);
    const { heatmap } = estimate([input], { config, heatmap: { columns: 600, rows: 100 } });
    expect([...heatmap.columnScale!].every((f) => f === 1)).toBe(true);
    expectSameUsd(heatmap, directColumns(input, heatmap, config));
  });

  it('readers apply the factor: cell helper, compact view and raster see the same USD as pre-multiplied cells', () => {
    const columns = 4;
    const rows = 3;
    const cells = Float32Array.from({ length: columns * rows }, (_, i) => (i % 5) * 1000);
    // Powers of two: the products are exact, so both forms must agree bit for bit.
    const columnScale = Float64Array.from([1, 0.5, 4, 0.25]);
    const scaled = cells.map((v, i) => v * columnScale[Math.floor(i / rows)]!);
    let maxCell = 0;
    for (const v of scaled) maxCell = Math.max(maxCell, v);
    const base = { timestamps: Float64Array.from([0, 1, 2, 3], (t) => t * 3_600_000), priceEdges: Float64Array.from([100, 110, 120, 130]), columns, rows, maxCell };
    const withFactor: Heatmap = { ...base, cells, columnScale };
    const plain: Heatmap = { ...base, cells: scaled };
    for (let c = 0; c < columns; c++) for (let r = 0; r < rows; r++) expect(heatmapCell(withFactor, c, r)).toBe(plain.cells[c * rows + r]);
    expect(heatmapCell(plain, 2, 1)).toBe(plain.cells[2 * rows + 1]);
    expect(toHeatmapView(withFactor, [], 3_600_000)).toEqual(toHeatmapView(plain, [], 3_600_000));
    const options = { width: 200, height: 120 };
    expect(renderHeatmapRgba(withFactor, [], options).data).toEqual(renderHeatmapRgba(plain, [], options).data);
  });
});
