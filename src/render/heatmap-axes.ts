/**
 * The heatmap's axes and legend: the price axis on the right (nice ticks, the last close as a
 * tag), the UTC time axis below and the colour legend, drawn with the built-in bitmap font, and
 * labels written by the engine's price and USD formats (`src/engine/price-format.ts`, `usd-format.ts`),
 * which the UI shares.
 */
import { drawText, fillRect, GLYPH_HEIGHT, measureText, type Rgb, type RgbaImage } from './bitmap-font';
import { CIVIDIS_LUT, legendShare } from './color-scale';
import { formatPrice } from '../engine/price-format';
import { formatUsd } from '../engine/usd-format';
import { CANDLE_DOWN, CANDLE_UP, type Candle, priceToY, type Rect } from './heatmap-candles';

/** Colours of background, text and axes for one theme. */
export interface Theme {
  readonly background: Rgb;
  /** Plot cells with no estimated notional. */
  readonly empty: Rgb;
  readonly text: Rgb;
  readonly muted: Rgb;
  readonly axis: Rgb;
}

/** The price axis's ticks and labels, and the width its labels need (the layout reserves it). */
export interface PriceTicks {
  readonly values: readonly number[];
  readonly labels: readonly string[];
  readonly decimals: number;
  readonly labelWidth: number;
}

/** Legend labels are at most this wide ("$999.9k" is 7 glyphs). */
export function legendLabelWidth(scale: number): number {
  return measureText('$888.8M', scale);
}

/** A "nice" step (1, 2, 2.5 or 5 x 10^k) at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/** About one tick per five text heights of the plot, at a nice step, labelled with the decimals that step needs. */
export function makePriceTicks(low: number, high: number, height: number, scale: number): PriceTicks {
  const plotHeight = Math.max(1, height - 30 * scale);
  const count = Math.max(2, Math.floor(plotHeight / (GLYPH_HEIGHT * scale * 5)));
  if (!(high > low) || !Number.isFinite(high - low)) return { values: [], labels: [], decimals: 0, labelWidth: measureText('0', scale) };
  const step = niceStep((high - low) / count);
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const halfStep = Math.abs(step / 10 ** exponent - 2.5) < 1e-9; // 2.5 x 10^k needs one more decimal
  const decimals = Math.max(0, -exponent + (halfStep ? 1 : 0));
  const values: number[] = [];
  const labels: string[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) {
    const value = k * step;
    values.push(value);
    labels.push(formatPrice(value, decimals));
  }
  let labelWidth = 0;
  for (const label of [...labels, formatPrice(high, decimals + 1)]) labelWidth = Math.max(labelWidth, measureText(label, scale));
  return { values, labels, decimals, labelWidth };
}


/** The price axis right of the plot: ticks and labels, and the last close as a dotted line and a tag. */
export function drawPriceAxis(
  image: RgbaImage,
  plot: Rect,
  ticks: PriceTicks,
  low: number,
  high: number,
  last: Candle | undefined,
  theme: Theme,
  scale: number,
): void {
  const axisX = plot.x + plot.width;
  fillRect(image, axisX, plot.y, 1, plot.height, theme.axis);
  const textHeight = GLYPH_HEIGHT * scale;
  const tick = 3 * scale;
  let lastY: number | undefined;
  let lastLabel = '';
  if (last && last.close >= low && last.close <= high) {
    lastY = Math.round(priceToY(plot, low, high, last.close));
    lastLabel = formatPrice(last.close, ticks.decimals + 1);
  }
  for (let i = 0; i < ticks.values.length; i++) {
    const y = Math.round(priceToY(plot, low, high, ticks.values[i]!));
    if (y < plot.y || y >= plot.y + plot.height) continue;
    fillRect(image, axisX + 1, y, tick, 1, theme.axis);
    if (lastY !== undefined && Math.abs(y - lastY) < textHeight + 3 * scale) continue;
    const labelY = Math.min(Math.max(y - Math.floor(textHeight / 2), 0), image.height - textHeight);
    drawText(image, axisX + 1 + tick + 3 * scale, labelY, ticks.labels[i]!, theme.text, scale);
  }
  if (lastY !== undefined && last) {
    const color = last.close >= last.open ? CANDLE_UP : CANDLE_DOWN;
    // Dotted line at the last close across the plot, and a filled price tag on the axis.
    for (let x = plot.x; x < plot.x + plot.width; x += 4 * scale) fillRect(image, x, lastY, 2 * scale, 1, color);
    const tagWidth = measureText(lastLabel, scale) + 4 * scale;
    const tagTop = Math.min(Math.max(lastY - Math.floor(textHeight / 2) - 2 * scale, 0), image.height - textHeight - 4 * scale);
    fillRect(image, axisX + 1, tagTop, tick + 2 * scale + tagWidth, textHeight + 4 * scale, color);
    drawText(image, axisX + 1 + tick + 3 * scale, tagTop + 2 * scale, lastLabel, [255, 255, 255], scale);
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** UTC labels: `MM-DD` at midnight (or for day steps), `HH:MM` otherwise. */
function timeLabel(timestamp: number, step: number): string {
  const date = new Date(timestamp);
  if (step >= DAY || timestamp % DAY === 0) return `${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  return `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
}

/** The UTC time axis below the plot: a tick and a label at each step wide enough for a label. */
export function drawTimeAxis(image: RgbaImage, plot: Rect, timestamps: Float64Array, theme: Theme, scale: number): void {
  const n = timestamps.length;
  const axisY = plot.y + plot.height;
  fillRect(image, plot.x, axisY, plot.width + 1, 1, theme.axis);
  if (n === 0) return;
  const first = timestamps[0]!;
  const lastTime = timestamps[n - 1]!;
  let timeframe = Infinity;
  for (let i = 1; i < n; i++) timeframe = Math.min(timeframe, timestamps[i]! - timestamps[i - 1]!);
  if (!(timeframe > 0 && Number.isFinite(timeframe))) timeframe = MINUTE;
  const columnWidth = plot.width / n;
  const labelWidth = measureText('00-00', scale) + 12 * scale;
  // Columns per step are the step over the timeframe (gaps make it approximate, which is fine).
  const step = TIME_STEPS.find((s) => (s / timeframe) * columnWidth >= labelWidth && s >= timeframe) ?? TIME_STEPS.at(-1)!;
  const tick = 3 * scale;
  let column = 0;
  let previousRight = -Infinity;
  for (let t = Math.ceil(first / step) * step; t <= lastTime; t += step) {
    while (column < n && timestamps[column]! < t) column++;
    if (column >= n) break;
    if (timestamps[column]! - t >= timeframe) continue;
    const x = Math.floor(plot.x + (column + 0.5) * columnWidth);
    fillRect(image, x, axisY + 1, 1, tick, theme.axis);
    const label = timeLabel(t, step);
    const width = measureText(label, scale);
    const left = Math.min(Math.max(x - Math.floor(width / 2), plot.x), plot.x + plot.width - width);
    if (left < previousRight + 4 * scale) continue;
    drawText(image, left, axisY + 1 + tick + 3 * scale, label, t % DAY === 0 ? theme.text : theme.muted, scale);
    previousRight = left + width;
  }
}

/**
 * Vertical colour bar right of the price axis, from the threshold (bottom: cells below it are the
 * background) to the top of the scale, labelled in USD at one price level of the chart.
 */
export function drawLegend(image: RgbaImage, plot: Rect, max: number, threshold: number, theme: Theme, scale: number): void {
  const barWidth = 10 * scale;
  const x = image.width - (4 * scale + legendLabelWidth(scale) + 4 * scale + barWidth);
  const top = plot.y;
  const height = plot.height;
  fillRect(image, x - 1, top - 1, barWidth + 2, height + 2, theme.axis);
  for (let py = 0; py < height; py++) {
    const level = height === 1 ? 255 : Math.round((255 * (height - 1 - py)) / (height - 1));
    fillRect(image, x, top + py, barWidth, 1, [CIVIDIS_LUT[3 * level]!, CIVIDIS_LUT[3 * level + 1]!, CIVIDIS_LUT[3 * level + 2]!]);
  }
  const textHeight = GLYPH_HEIGHT * scale;
  const labelX = x + barWidth + 4 * scale;
  const labels: [number, string][] = [
    [top, formatUsd(max)],
    [top + Math.round(height / 2), formatUsd(legendShare(0.5, threshold) * max)],
    [top + height - 1, formatUsd(threshold * max)],
  ];
  for (const [y, text] of labels) {
    const labelY = Math.min(Math.max(y - Math.floor(textHeight / 2), 0), image.height - textHeight);
    drawText(image, labelX, labelY, text, theme.text, scale);
  }
}
