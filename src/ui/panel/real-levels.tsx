/**
 * The real-levels layer: liquidation prices of large Hyperliquid accounts' positions as the
 * exchange computes them, beside (never mixed into) the estimated heat. For the coin on screen
 * on every exchange's page (prices are arbitraged across venues). Exported for the full view:
 * {@link useRealLevels} follows a coin, {@link RealLevelMarks} draws the marks over a plot,
 * {@link RealLevelRows} gives the nearest levels and what they cover in words (inline styles on
 * the panel's colour variables, so they need no stylesheet of their own).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ExchangeId } from '../../engine/types';
import { baseAsset, marketIdOf } from '../../data/exchanges/peer-markets';
import { NEAREST_REACH, nearestLevels } from '../../data/hyperliquid-positions/levels';
import { COIN_PATTERN, REAL_LEVELS_PORT_NAME, type RealLevel, type RealLevelsPort, type RealLevelsView, watchRealLevels } from '../../messaging/real-levels';
import { realLevelMarks } from '../../render/real-levels';
import { fmtPrice, formatUsd, groupThousands } from '../format';
import { paintRealLevelMarks } from './real-level-paint';
import type { Plot } from './hover';
import type { PanelTheme } from './theme';

/**
 * Inline styles of the layer (the panel's colour variables; no style element of its own, so the
 * panel's text is only its words).
 */
const STYLE = {
  box: { margin: '4px 0 2px', padding: '4px 6px', border: '1px dashed var(--border, #30363d)', borderRadius: '4px' },
  head: { margin: '0', color: 'var(--strong, #f0f6fc)' },
  words: { margin: '0', color: 'var(--muted, #8b949e)', fontSize: '11px' },
  problem: { margin: '0', color: 'var(--warn, #d29922)', fontSize: '11px' },
  above: { margin: '0', color: 'var(--short)' },
  below: { margin: '0', color: 'var(--long)' },
} as const;

/**
 * The Hyperliquid coin of a market on any of the five exchanges, or undefined.
 * @example coinOnScreen('okx', 'BTC-USDT-SWAP') // 'BTC'
 */
export function coinOnScreen(exchange: ExchangeId, symbol: string): string | undefined {
  const base = baseAsset(exchange, symbol);
  if (base === undefined) return undefined;
  // A thousand-coin contract (1000PEPEUSDT) is Hyperliquid's kPEPE at the same prices. A page
  // quoting 1 PEPE asks for PEPE: the background knows Hyperliquid's list and answers with kPEPE's
  // levels per PEPE (src/data/hyperliquid-positions/coin-units.ts).
  const coin = /^1000[A-Z]/.test(base) && exchange !== 'hyperliquid' ? `k${base.slice(4)}` : marketIdOf('hyperliquid', base);
  return COIN_PATTERN.test(coin) ? coin : undefined;
}

/** `0x7b7f…dee2`. */
export function shortAccount(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

function ago(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'less than a minute ago';
  if (min < 120) return `${min} min ago`;
  return `${Math.floor(min / 60)} h ago`;
}

/**
 * What the levels cover, in words: "Real positions of 233 large Hyperliquid accounts, $689M =
 * 25.8 % of Hyperliquid's open interest in BTC, updated 2 min ago"; for a coin Hyperliquid holds
 * per 1,000 "Real positions of 12 large Hyperliquid accounts in kPEPE (listed per 1,000 PEPE;
 * prices shown per PEPE), …".
 */
export function realLevelsWords(view: RealLevelsView, now: number): string {
  if (view.followed === 0) return 'No large Hyperliquid accounts to follow yet.';
  if (view.read === 0) return `Reading the positions of ${view.followed} large Hyperliquid accounts…`;
  const reading = view.read < view.followed ? ` (${view.read} of ${view.followed} accounts read so far)` : '';
  const unit = unitWords(view);
  if (view.holders === 0) return `No position in ${view.coin}${unit ? ` (${unit})` : ''} among ${view.read} large Hyperliquid accounts${reading}.`;
  const named = unit ? ` in ${view.coin} (${unit})` : '';
  const share = view.openInterestUsd && view.openInterestUsd > 0 ? ` = ${sharePct((100 * view.notionalUsd) / view.openInterestUsd)} of Hyperliquid's open interest in ${view.coin}` : named ? '' : ` in ${view.coin}`;
  const updated = view.updatedAt !== undefined ? `, updated ${ago(Math.max(0, now - view.updatedAt))}` : '';
  return `Real positions of ${view.holders} large Hyperliquid accounts${named}, ${formatUsd(view.notionalUsd)}${share}${updated}${reading}.`;
}

/**
 * How the view's unit differs from Hyperliquid's, when it does: "listed per 1,000 PEPE; prices
 * shown per PEPE" (the hub sends a thousand coin's prices per unit of the page's coin).
 */
export function unitWords(view: Pick<RealLevelsView, 'watched' | 'priceFactor'>): string | undefined {
  if (view.watched === undefined || view.priceFactor === undefined) return undefined;
  const per = groupThousands(Math.round(1 / view.priceFactor));
  return `listed per ${per} ${view.watched}; prices shown per ${view.watched}`;
}

/** A signed percentage with one decimal and a true minus sign, as the pool lines write it: `−7.8 %`. */
function signedPct1(pct: number): string {
  const text = Math.abs(pct).toFixed(1);
  return `${pct >= 0 ? '+' : text === '0.0' ? '' : '−'}${text} %`;
}

/** A share in % with one decimal; "under 0.1 %" rather than a "0.0 %" that reads as none. */
function sharePct(pct: number): string {
  return pct < 0.05 ? 'under 0.1 %' : `${pct.toFixed(1)} %`;
}

/** One level in a line: "short liq. 72,410 (+3.1 %) · $4.1M · 20x cross · 0x7b7f…dee2". */
export function realLevelLine(level: RealLevel, price: number): string {
  const distance = price > 0 ? ` (${signedPct1((100 * (level.price - price)) / price)})` : '';
  return `${level.side} liq. ${fmtPrice(level.price)}${distance} · ${formatUsd(level.notionalUsd)} · ${trimLeverage(level.leverage)}x ${level.marginType} · ${shortAccount(level.account)}`;
}

function trimLeverage(leverage: number): string {
  return Number.isInteger(leverage) ? String(leverage) : leverage.toFixed(1);
}

/** The default port: the extension runtime's, when there is one (not in Node tests). */
function runtimeConnect(): (() => RealLevelsPort) | undefined {
  const runtime = (browser as { runtime?: { connect?: unknown } } | undefined)?.runtime;
  if (typeof runtime?.connect !== 'function') return undefined;
  return () => browser.runtime.connect({ name: REAL_LEVELS_PORT_NAME }) as unknown as RealLevelsPort;
}

/**
 * The real levels of the coin on screen, kept live while mounted (the background polls only
 * while some view watches). `connect: false` turns the layer off.
 */
export function useRealLevels(exchange: ExchangeId, symbol: string, connect?: (() => RealLevelsPort) | false): RealLevelsView | undefined {
  const [view, setView] = useState<RealLevelsView | undefined>(undefined);
  const coin = coinOnScreen(exchange, symbol);
  useEffect(() => {
    setView(undefined);
    const open = connect === false ? undefined : (connect ?? runtimeConnect());
    if (!coin || !open) return;
    const controller = new AbortController();
    watchRealLevels({ connect: open, coin, onView: setView, signal: controller.signal });
    return () => controller.abort();
  }, [coin, connect]);
  return view;
}

export interface RealLevelMarksProps {
  readonly view: RealLevelsView;
  /** The chart's price range and plot (the same axis as the heat). */
  readonly priceLow: number;
  readonly priceHigh: number;
  readonly plot: Plot;
  readonly width: number;
  readonly height: number;
  readonly theme: PanelTheme;
}

/** The marks, drawn on a transparent canvas laid over the plot's right edge (the price axis side). */
export function RealLevelMarks(props: RealLevelMarksProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { view, plot } = props;
  const marks = realLevelMarks(view.levels, { priceLow: props.priceLow, priceHigh: props.priceHigh, plotY: plot.y, plotHeight: plot.height, maxLength: Math.min(48, plot.width / 4) });
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, props.width, props.height);
    paintRealLevelMarks(ctx, marks, plot.x + plot.width, props.theme);
  });
  const inRange = marks.reduce((n, m) => n + m.count, 0);
  return (
    <canvas
      ref={canvas}
      class="real-marks"
      style={{ position: 'absolute', left: '0', top: '0', pointerEvents: 'none' }}
      width={props.width}
      height={props.height}
      data-real-marks={marks.length}
      data-real-levels={inRange}
      role="img"
      aria-label={`Real liquidation levels of large Hyperliquid accounts: ${inRange} in view, marked on the price axis by size`}
    />
  );
}

/** The nearest real levels above and below `price`, and what they cover in words. */
export function RealLevelRows({ view, price, now }: { view: RealLevelsView; price: number; now: number }) {
  const { above, below } = nearestLevels(view, price);
  const words = realLevelsWords(view, now);
  return (
    <div class="real-levels" style={STYLE.box} data-real-levels={view.levels.length} data-coin={view.coin}>
      <p class="real-head" style={STYLE.head} title="Liquidation prices Hyperliquid itself computes for the public positions of its largest accounts: real, not estimated. Addresses are public exchange data.">
        ◆ Real levels (Hyperliquid, {view.coin})
      </p>
      {view.holders > 0 ? (
        <>
          <p class="real-level above" style={STYLE.above} data-real="above">
            {above ? `▲ ${realLevelLine(above, price)}` : `▲ no real level within ${Math.round(NEAREST_REACH * 100)} % above`}
          </p>
          <p class="real-level below" style={STYLE.below} data-real="below">
            {below ? `▼ ${realLevelLine(below, price)}` : `▼ no real level within ${Math.round(NEAREST_REACH * 100)} % below`}
          </p>
        </>
      ) : null}
      <p class="real-words" style={STYLE.words} data-real="words">
        {words}
      </p>
      {view.problem ? (
        <p class="real-problem" style={STYLE.problem} data-real="problem" role="status">
          {view.problem}
        </p>
      ) : null}
    </div>
  );
}
