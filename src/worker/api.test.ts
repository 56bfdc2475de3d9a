/**
 * The estimator API: results over recorded data, candles per column, and buffers that cross a
 * real MessageChannel by transfer (the sender's arrays are detached, so nothing was copied).
 */
import { MessageChannel } from 'node:worker_threads';
import { expose, type Remote, wrap } from 'comlink';
import { describe, expect, it } from 'vitest';
import { binance5m, sliceSeries } from '../../tests/support/recorded';
import { columnCandles, createEstimatorApi, type EstimateOutput, type EstimatorApi, runJob, transferables } from './api';

const series = sliceSeries(binance5m(), 0, 864);
const job = { series: [series], heatmap: { columns: 144, barsPerColumn: 6, rows: 120 } };

describe('runJob', () => {
  it('estimates the window with one candle per column', () => {
    const out = runJob(job);
    expect(out.heatmap.columns).toBe(144);
    expect(out.heatmap.rows).toBe(120);
    expect(out.candles.length).toBe(144 * 4);
    expect(out.heatmap.maxCell).toBeGreaterThan(0);
    expect(out.pools.length).toBeGreaterThan(0);
    expect(out.context.price).toBe(series.bars.at(-1)!.close);
    // The last column's candle closes at the last bar's close and spans its bars' range.
    const last = series.bars.slice(-6);
    expect(Array.from(out.candles.slice(-4))).toEqual([
      last[0]!.open,
      Math.max(...last.map((b) => b.high)),
      Math.min(...last.map((b) => b.low)),
      last.at(-1)!.close,
    ]);
  });

  it('lists each buffer once for the transfer list', () => {
    const out = runJob(job);
    const buffers = transferables(out);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).toContain(out.heatmap.cells.buffer);
    expect(buffers).toContain(out.candles.buffer);
  });
});

describe('columnCandles', () => {
  it('repeats the previous close for a column without bars', () => {
    const bars = [
      { timestamp: 0, open: 10, high: 12, low: 9, close: 11 },
      { timestamp: 2, open: 11, high: 13, low: 10, close: 12 },
    ];
    const candles = columnCandles(bars, Float64Array.from([0, 1, 2]), 1);
    expect(Array.from(candles)).toEqual([10, 12, 9, 11, 11, 11, 11, 11, 11, 13, 10, 12]);
  });
});

describe('over a MessageChannel (Comlink)', () => {
  it('transfers the grids: the worker side keeps detached buffers', async () => {
    const channel = new MessageChannel();
    const inner = createEstimatorApi();
    let sent: EstimateOutput | undefined;
    const spy: EstimatorApi = {
      async run(j) {
        const transferred = await inner.run(j);
        sent = transferred;
        return transferred;
      },
      session: (request) => inner.session(request),
      ping: () => inner.ping(),
    };
    expose(spy, channel.port1 as unknown as MessagePort);
    const remote: Remote<EstimatorApi> = wrap<EstimatorApi>(channel.port2 as unknown as MessagePort);
    const received = await remote.run(job);
    expect(received.heatmap.cells.length).toBe(144 * 120);
    expect(received.heatmap.maxCell).toBeGreaterThan(0);
    expect(received.pools.length).toBeGreaterThan(0);
    // Transferred, not copied: the sender's arrays were emptied by the transfer.
    expect(sent!.heatmap.cells.length).toBe(0);
    expect(sent!.heatmap.cells.buffer.byteLength).toBe(0);
    expect(sent!.map.long.length).toBe(0);
    channel.port1.close();
    channel.port2.close();
  });
});
