/**
 * The path a bar most likely traded: open -> first extreme -> second extreme -> close (low first in
 * a rising bar, high first in a falling one), with the swings real bars have around that skeleton
 * (see config `openDip`, `legRetrace`, `closeOvershoot`, measured on 5m bars inside longer bars):
 * - before its first extreme the price moves from the open toward the second extreme by `dip` of
 *   the range (kept inside the bar's range);
 * - the leg between the extremes overshoots its middle to a + (1/2 + r/2)(b - a), falls back by
 *   r(b - a), then ends at b;
 * - after its second extreme the price swings back past the close toward the first extreme by
 *   `overshoot` of (first extreme - close) before it closes.
 * Positions opened on the way can so be liquidated by a later swing of the same bar. The point
 * count depends on the parameters only, so every exchange's path has the merged path's legs.
 * Returns the point count (4 to 8).
 */
export function barPath(out: Float64Array, open: number, high: number, low: number, close: number, dip: number, retrace: number, overshoot: number): number {
  const rising = close >= open;
  const first = rising ? low : high;
  const second = rising ? high : low;
  let n = 0;
  out[n++] = open;
  if (dip > 0) {
    const toward = open + dip * (second - first);
    out[n++] = toward > high ? high : toward < low ? low : toward;
  }
  out[n++] = first;
  if (retrace > 0) {
    const turn = first + (second - first) * (0.5 + retrace / 2);
    out[n++] = turn;
    out[n++] = turn - (second - first) * retrace;
  }
  out[n++] = second;
  if (overshoot > 0) out[n++] = close + overshoot * (first - close);
  out[n++] = close;
  return n;
}
