import { BucketBinning } from './bucket-binning';
import type { EstimatorState } from './estimator-state';
import { pendingLadder } from './hourly-batches';
import type { LiquidationMap } from './types';
import { InputError } from './validate';

/*
 * Read-outs: what the state says, on any bins, without changing it: totals, a heatmap column
 * summed from the ladder, and the liquidation map with its cumulative curves.
 */

export interface EstimatorTotals {
  /** Notional ever opened into the state (USD at the time it was opened). */
  readonly openedUsd: number;
  /** Notional removed by sweeps (the per-bar estimated liquidations, summed). */
  readonly sweptUsd: number;
  /** Notional currently live (after decay and closing). */
  readonly liveUsd: number;
  /**
   * The part of `liveUsd` in far levels waiting for their hourly placement: in the liquidation
   * map already, in tracked heatmap columns from their placement on.
   */
  readonly waitingUsd: number;
}


/** Notional opened, swept, live and waiting (the levels in hourly batches are live). */
export function totals(state: EstimatorState): EstimatorTotals {
  let live = 0;
  for (let g = 0; g < state.groupCount; g++) {
    let stored = 0;
    const long = state.long[g]!;
    const short = state.short[g]!;
    for (let i = 0; i < state.size; i++) stored += long[i]! + short[i]!;
    live += stored * state.scale[g]!;
  }
  const waiting = pendingLadder(state);
  let waitingUsd = 0;
  if (waiting) for (let i = 0; i < state.size; i++) waitingUsd += waiting.long[i]! + waiting.short[i]!;
  return { openedUsd: state.openedUsd, sweptUsd: state.sweptUsd, liveUsd: live + waitingUsd, waitingUsd };
}

/**
 * Adds the live notional (all sides and groups) into `out[offset + row]` for the price bins
 * with the given ascending edges, and returns the largest of the column's values after adding
 * (as stored, in float32). Used for heatmap columns.
 * @example const columnMax = estimator.sampleInto(edges, cells, column * rows, binning);
 */
export function sampleInto(state: EstimatorState, edges: Float64Array, out: Float32Array, offset: number, binning: BucketBinning): number {
  binning.update(state.base!, state.step, state.size, edges);
  const { sums } = binning.rowMajor();
  const rows = edges.length - 1;
  let max = 0;
  for (let g = 0; g < state.groupCount; g++) {
    binning.sumBins(state.long[g]!, state.short[g]!, 0, rows - 1);
    const s = state.scale[g]!;
    if (g < state.groupCount - 1) {
      for (let r = 0; r < rows; r++) out[offset + r]! += sums[r]! * s;
      continue;
    }
    // The last group's pass also finds the column's largest value, so callers need not read it back.
    for (let r = 0; r < rows; r++) {
      const v = Math.fround(out[offset + r]! + sums[r]! * s);
      out[offset + r] = v;
      if (v > max) max = v;
    }
  }
  return max;
}

/**
 * The liquidation map at the latest bar on the given bin edges, with cumulative curves from the
 * current price outwards.
 * @example estimator.liquidationMap(edgesAroundPrice(price, atr)).cumulativeLong
 */
export function liquidationMap(state: EstimatorState, edges: Float64Array): LiquidationMap {
  const last = state.merged.length - 1;
  if (last < 0) throw new InputError('no bars applied yet', -1, '', 'bars');
  const bins = edges.length - 1;
  const long = new Float64Array(bins);
  const short = new Float64Array(bins);
  const binning = new BucketBinning();
  binning.update(state.base!, state.step, state.size, edges);
  const { firstBucket, lastBucket, offsets, bin, fraction } = binning;
  // The levels still waiting in a batch belong to the map (they are live); the first pass adds them.
  const waiting = pendingLadder(state);
  for (let g = waiting ? -1 : 0; g < state.groupCount; g++) {
    const s = g < 0 ? 1 : state.scale[g]!;
    const longs = g < 0 ? waiting!.long : state.long[g]!;
    const shorts = g < 0 ? waiting!.short : state.short[g]!;
    for (let i = firstBucket; i <= lastBucket; i++) {
      const l = longs[i]! * s;
      const sh = shorts[i]! * s;
      if (l === 0 && sh === 0) continue;
      for (let e = offsets[i - firstBucket]!, end = offsets[i - firstBucket + 1]!; e < end; e++) {
        long[bin[e]!]! += l * fraction[e]!;
        short[bin[e]!]! += sh * fraction[e]!;
      }
    }
  }
  const price = state.merged.close[last]!;
  const cumulativeLong = new Float64Array(bins);
  const cumulativeShort = new Float64Array(bins);
  let priceBin = 0;
  while (priceBin < bins - 1 && edges[priceBin + 1]! <= price) priceBin++;
  let sum = 0;
  for (let i = priceBin; i >= 0; i--) cumulativeLong[i] = sum += long[i]!;
  sum = 0;
  for (let i = priceBin; i < bins; i++) cumulativeShort[i] = sum += short[i]!;
  return { timestamp: state.merged.timestamp[last]!, price, priceEdges: edges, long, short, cumulativeLong, cumulativeShort, atr: state.atrValue };
}
