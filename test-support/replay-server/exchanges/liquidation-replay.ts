/**
 * Replayed liquidation streams. The only recorded liquidations are Binance's `forceOrder` events
 * (`binance-forceorder-events-2026-01-06.csv`): the Binance stream replays them as Binance sent
 * them, and the Bybit and OKX streams replay THE SAME RECORDED BINANCE EVENTS re-framed in each
 * exchange's own frame format, because no Bybit or OKX liquidation recording exists in
 * `shared/data` (see its README). They test the clients' subscription, heartbeat and parsing,
 * not Bybit's or OKX's real liquidation flow.
 */
import type { ExchangeContext } from '../types';
import { type BinanceData, type ForceOrderEvent, lowerBound } from './binance-data';

/**
 * Sends recorded events in recorded order from the first one, the recorded gaps divided by the
 * server's websocket speed (read before each gap, so a speed change applies to what follows).
 */
export class EventPacer {
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private targetWall = 0;
  private started = false;

  constructor(
    private readonly events: readonly ForceOrderEvent[],
    private readonly speed: () => number,
    private readonly emit: (event: ForceOrderEvent) => void,
  ) {}

  /** Starts once; later calls change nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.targetWall = performance.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.next = this.events.length;
  }

  private schedule(): void {
    if (this.next >= this.events.length) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.targetWall - performance.now()));
  }

  private flush(): void {
    const wall = performance.now();
    while (this.next < this.events.length && this.targetWall <= wall) {
      const event = this.events[this.next]!;
      this.emit(event);
      this.next += 1;
      const following = this.events[this.next];
      if (following) this.targetWall += (following.time - event.time) / Math.max(this.speed(), 1e-9);
    }
    this.schedule();
  }
}

/** JSON of a frame, sent only while the socket is open. */
export function sendJson(socket: { readonly readyState: number; readonly OPEN: number; send(data: string): void }, value: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * A recorded liquidation as a stream sends it. With `wsTimes: 'replay'` it is re-framed to the
 * replay clock: stamped "now", and, for a market with recorded bars, priced at their level (the
 * recorded events are from 2026-01-06, BTC near 93,000, the bars from other months): the
 * recorded price times the last recorded close at "now" over the recording's first fill of the
 * market, so the events keep their spacing relative to each other. The quantity is scaled back
 * so the USD notional stays as recorded. A reconstruction for tests: not what the exchange sent.
 */
export function liquidationAsSent(data: BinanceData, ctx: Pick<ExchangeContext, 'clock' | 'wsReplayTime'>, event: ForceOrderEvent): { time: number; price: number; qty: number } {
  if (!ctx.wsReplayTime) return { time: event.time, price: event.price, qty: event.qty };
  const now = ctx.clock.now();
  const first = data.forceOrders.find((e) => e.symbol === event.symbol);
  const level = data.klines.get(event.symbol) ? lastRecordedPrice(data, event.symbol, now)?.price : undefined;
  const factor = level !== undefined && first ? level / first.price : 1;
  return { time: now, price: event.price * factor, qty: event.qty / factor };
}

/** Last recorded price at or before `now`: 5m close, else 1h close, else a liquidation fill. */
export function lastRecordedPrice(data: BinanceData, symbol: string, now: number): { price: number; time: number } | undefined {
  const series = data.klines.get(symbol);
  let best: { price: number; time: number } | undefined;
  for (const iv of ['5m', '1h']) {
    const bars = series?.get(iv);
    if (!bars) continue;
    const i = lowerBound(bars, now, (b) => b.closeTime) - 1;
    const bar = bars[i];
    if (bar && (!best || bar.closeTime > best.time)) best = { price: bar.close, time: bar.closeTime };
  }
  if (best) return best;
  const events = data.forceOrders.filter((e) => e.symbol === symbol && e.time <= now);
  const last = events.at(-1);
  return last ? { price: last.price, time: last.time } : undefined;
}
