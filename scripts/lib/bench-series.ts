/**
 * The benchmarks' series: the recorded Binance BTCUSDT 5m file (8,015 bars, 2026-05-25..06-22).
 * A 30-day window is 8,640 bars, so the last 625 bars are stitched on from the same recording:
 * bars 1..625 of the file, re-timed to follow the last bar and re-based in price and open interest
 * so that their returns and OI changes are the recorded ones. No price path is invented.
 */
import type { Bar } from '../../src/engine/types';

/** The bars extended to `total` by the stitching described above. */
export function stitched(bars: readonly Bar[], total: number): Bar[] {
  const out = [...bars];
  const step = bars[1]!.timestamp - bars[0]!.timestamp;
  let source = 1;
  while (out.length < total) {
    const last = out.at(-1)!;
    const from = bars[source - 1]!;
    const to = bars[source]!;
    const ratio = last.close / from.close;
    const oiRatio = (last.openInterestUsd ?? 0) / (from.openInterestUsd ?? 1);
    const { cvd: _cvd, ...rest } = to;
    out.push({
      ...rest,
      timestamp: last.timestamp + step,
      open: to.open * ratio,
      high: to.high * ratio,
      low: to.low * ratio,
      close: to.close * ratio,
      openInterestUsd: (to.openInterestUsd ?? 0) * oiRatio,
    });
    source = source + 1 < bars.length ? source + 1 : 1;
  }
  return out;
}
