/**
 * The Bybit, OKX, Bitget and Hyperliquid modules against canned answers in each exchange's
 * documented response shape (no replay server exists for them): the parameters each module sends,
 * ccxt's parsing of the answers, paging, and the resulting engine series. Also what each exchange
 * provides or lacks (taker volume, OI history or snapshots, ratio, live margin tiers).
 */
import { describe, expect, it } from 'vitest';
import { validateSeries } from '../src/engine/validate';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createHyperliquidSource } from '../src/data/exchanges/hyperliquid';
import { createOkxSource } from '../src/data/exchanges/okx';
import type { ExchangeSource } from '../src/data/exchanges/source';

// Vitest does not read the extension's Vite alias: map the exchange module files directly.

const MIN5 = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The exchanges' clock in these tests: far from the local one, as with the replay server. */
const NOW = Date.UTC(2025, 2, 3, 12, 2, 0);

const price = (t: number): number => 100 + 10 * Math.sin(t / (2 * HOUR));
function candle(t: number, tf: number): { o: number; h: number; l: number; c: number; v: number } {
  const o = price(t);
  const c = price(t + tf);
  return { o, h: Math.max(o, c) + 0.5, l: Math.min(o, c) - 0.5, c, v: 10 + (t / tf) % 7 };
}
const oiBase = (t: number): number => 1000 + ((t / MIN5) % 100);

/** Open times of the closed bars of length `tf` in [from, to], oldest first. */
function barTimes(from: number, to: number, tf: number): number[] {
  const out: number[] = [];
  const last = Math.min(to, Math.floor(NOW / tf) * tf - tf);
  for (let t = Math.ceil(from / tf) * tf; t <= last; t += tf) out.push(t);
  return out;
}

interface Call {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: Record<string, unknown>;
}

type Router = (call: Call) => unknown;

/** A ccxt instance answered by `router`; every call is logged. */
function canned(router: Router, calls: Call[]) {
  return (exchange: { fetchImplementation?: unknown; enableRateLimit?: boolean }): void => {
    // Canned answers need no pacing (the modules keep ccxt's rate limiter on in the extension).
    exchange.enableRateLimit = false;
    exchange.fetchImplementation = async (url: string, init: { body?: string }) => {
      const u = new URL(url);
      const body = init.body ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
      const call: Call = { path: u.pathname, query: Object.fromEntries(u.searchParams), ...(body ? { body } : {}) };
      calls.push(call);
      const answer = router(call);
      if (answer === undefined) return new Response(JSON.stringify({ msg: `not canned: ${u.pathname}` }), { status: 404 });
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    };
  };
}

/** Sets the markets directly (no market-list call): the fields ccxt reads for these requests. */
function withMarkets(markets: Record<string, unknown>[]) {
  return (exchange: { setMarkets(markets: unknown): unknown }): void => {
    exchange.setMarkets(markets);
  };
}

function linearMarket(id: string, symbol: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [base] = symbol.split('/');
  return {
    id,
    symbol,
    base,
    quote: 'USDT',
    settle: 'USDT',
    baseId: base,
    quoteId: 'USDT',
    settleId: 'USDT',
    type: 'swap',
    spot: false,
    margin: false,
    swap: true,
    future: false,
    option: false,
    active: true,
    contract: true,
    linear: true,
    inverse: false,
    contractSize: 1,
    precision: { amount: 0.001, price: 0.1 },
    limits: {},
    info: {},
    ...extra,
  };
}

async function expectValidSeries(source: ExchangeSource, symbol: string, since: number) {
  const series = await source.fetchSeries({ symbol, timeframe: '5m', since });
  expect(series.serverTime).toBe(NOW);
  expect(validateSeries(series)).toBe(MIN5);
  // From the bar containing `since`, up to the last closed bar.
  const expected = barTimes(Math.floor(since / MIN5) * MIN5, Infinity, MIN5);
  expect(series.bars.map((b) => b.timestamp)).toEqual(expected);
  for (const bar of series.bars) {
    const c = candle(bar.timestamp, MIN5);
    expect(bar.open).toBeCloseTo(c.o, 6);
    expect(bar.close).toBeCloseTo(c.c, 6);
    expect(bar.volume).toBeCloseTo(c.v, 6);
    expect(bar.takerBuyVolume).toBeUndefined();
  }
  return series;
}

describe('data layer: Bybit', () => {
  const router: Router = ({ path, query }) => {
    const ok = (result: unknown) => ({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: NOW });
    const start = Number(query.startTime ?? query.start ?? 0);
    const end = Number(query.endTime ?? query.end ?? NOW);
    const limit = Number(query.limit ?? 200);
    switch (path) {
      case '/v5/market/time':
        return ok({ timeSecond: String(Math.floor(NOW / 1000)), timeNano: `${NOW}000000` });
      case '/v5/market/kline': {
        const tf = Number(query.interval) * 60_000;
        const rows = barTimes(start, end, tf).slice(0, limit).reverse(); // newest first
        return ok({ category: 'linear', symbol: query.symbol, list: rows.map((t) => { const c = candle(t, tf); return [String(t), String(c.o), String(c.h), String(c.l), String(c.c), String(c.v), String(c.v * c.c)]; }) });
      }
      case '/v5/market/open-interest': {
        expect(query.intervalTime).toBe('5min');
        const rows = barTimes(start, end, MIN5).slice(-limit).reverse(); // latest rows of the range
        return ok({ category: 'linear', symbol: query.symbol, list: rows.map((t) => ({ openInterest: String(oiBase(t)), timestamp: String(t) })), nextPageCursor: '' });
      }
      case '/v5/market/funding/history': {
        const rows = barTimes(start, end, 8 * HOUR).reverse();
        return ok({ category: 'linear', list: rows.map((t) => ({ symbol: query.symbol, fundingRate: '0.0001', fundingRateTimestamp: String(t) })) });
      }
      case '/v5/market/account-ratio': {
        expect(query.period).toBe('5min');
        const rows = barTimes(start, end, MIN5).slice(-limit).reverse();
        return ok({ list: rows.map((t) => ({ symbol: query.symbol, buyRatio: '0.6', sellRatio: '0.4', timestamp: String(t) })) });
      }
      case '/v5/market/risk-limit':
        return ok({
          category: 'linear',
          list: [
            { id: 1, symbol: 'BTCUSDT', riskLimitValue: '2000000', maintenanceMargin: '0.005', initialMargin: '0.01', isLowestRisk: 1, maxLeverage: '100.00', mmDeduction: '0' },
            { id: 2, symbol: 'BTCUSDT', riskLimitValue: '4000000', maintenanceMargin: '0.0055', initialMargin: '0.0125', isLowestRisk: 0, maxLeverage: '80.00', mmDeduction: '1000' },
          ],
        });
      default:
        return undefined;
    }
  };

  it('bars with OI in base coins (5min history), funding and the account ratio; live risk-limit tiers', async () => {
    const calls: Call[] = [];
    const source = createBybitSource({
      configure: (ex) => {
        withMarkets([linearMarket('BTCUSDT', 'BTC/USDT:USDT')])(ex as never);
        canned(router, calls)(ex as never);
      },
    });
    expect(source.capabilities).toMatchObject({ takerBuyVolume: false, openInterest: 'history', longShortRatio: true, liveMarginTiers: true });
    const series = await expectValidSeries(source, 'BTCUSDT', NOW - 2 * DAY);
    for (const bar of series.bars) {
      expect(bar.openInterestBase).toBe(oiBase(bar.timestamp));
      expect(bar.longShortRatio).toBeCloseTo(1.5, 9);
      expect(bar.fundingRate).toBe(0.0001);
    }
    // Settlements 8 h apart: the rates are per 8 h.
    expect(series.fundingIntervalMs).toBe(8 * HOUR);
    // 576 bars: klines 1,000 a call, open interest 200 a call (three windows).
    expect(calls.filter((c) => c.path === '/v5/market/kline')).toHaveLength(1);
    expect(calls.filter((c) => c.path === '/v5/market/open-interest')).toHaveLength(3);
    const tiers = await source.fetchMarginTiers('BTCUSDT');
    expect(tiers.source).toBe('live');
    expect(tiers.tiers).toEqual([
      { maxNotionalUsd: 2_000_000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmountUsd: 0 },
      { maxNotionalUsd: 4_000_000, maxLeverage: 80, maintenanceRate: 0.0055, maintenanceAmountUsd: 1000 },
    ]);
  });
});

describe('data layer: OKX', () => {
  const router: Router = ({ path, query }) => {
    const ok = (data: unknown) => ({ code: '0', msg: '', data });
    switch (path) {
      case '/api/v5/public/time':
        return ok([{ ts: String(NOW) }]);
      case '/api/v5/market/candles':
      case '/api/v5/market/history-candles': {
        const after = Number(query.after ?? NOW); // exclusive upper bound
        const before = Number(query.before ?? 0); // exclusive lower bound
        const limit = Math.min(Number(query.limit ?? 100), 300);
        const rows = barTimes(before + 1, after - 1, MIN5).slice(-limit).reverse();
        return ok(rows.map((t) => { const c = candle(t, MIN5); return [String(t), String(c.o), String(c.h), String(c.l), String(c.c), String(c.v * 100), String(c.v), String(c.v * c.c), '1']; }));
      }
      case '/api/v5/rubik/stat/contracts/open-interest-history': {
        expect(query.period).toBe('5m');
        expect(query.instId).toBe('BTC-USDT-SWAP');
        const reach = NOW - 1440 * MIN5;
        const rows = barTimes(Math.max(reach, Number(query.begin) + 1), Number(query.end) - 1, MIN5).slice(-Number(query.limit)).reverse();
        return ok(rows.map((t) => [String(t), String(oiBase(t) * 100), String(oiBase(t)), String(oiBase(t) * price(t))]));
      }
      case '/api/v5/public/funding-rate-history': {
        // A market funding every hour; `before`/`after` exclusive, the newest `limit` rows, as OKX answers.
        const rows = barTimes(Number(query.before ?? 0) + 1, Number(query.after ?? NOW + 1) - 1, HOUR).slice(-Number(query.limit ?? 100)).reverse();
        return ok(rows.map((t) => ({ instId: query.instId, instType: 'SWAP', fundingRate: '0.0002', realizedRate: '0.0002', fundingTime: String(t), method: 'next_period' })));
      }
      case '/api/v5/rubik/stat/contracts/long-short-account-ratio-contract': {
        expect(query.period).toBe('1H');
        const rows = barTimes(Number(query.begin) + 1, Number(query.end) - 1, HOUR).slice(-Number(query.limit)).reverse();
        return ok(rows.map((t) => [String(t), '0.9']));
      }
      case '/api/v5/public/position-tiers':
        return ok([
          { instFamily: 'BTC-USDT', tier: '1', minSz: '0', maxSz: '10000', mmr: '0.004', imr: '0.01', maxLever: '100' },
          { instFamily: 'BTC-USDT', tier: '2', minSz: '10001', maxSz: '50000', mmr: '0.006', imr: '0.02', maxLever: '50' },
        ]);
      case '/api/v5/market/ticker':
        return ok([{ instId: 'BTC-USDT-SWAP', last: '50000', ts: String(NOW) }]);
      default:
        return undefined;
    }
  };

  it('bars with OI in USD (the latest 1,440 rows; older bars flat), funding and ratio; tiers converted from contracts', async () => {
    const calls: Call[] = [];
    const source = createOkxSource({
      configure: (ex) => {
        withMarkets([linearMarket('BTC-USDT-SWAP', 'BTC/USDT:USDT', { contractSize: 0.01, info: { instFamily: 'BTC-USDT', uly: 'BTC-USDT', instType: 'SWAP' } })])(ex as never);
        canned(router, calls)(ex as never);
      },
    });
    const since = NOW - 6 * DAY;
    const series = await expectValidSeries(source, 'BTC-USDT-SWAP', since);
    const reach = NOW - 1440 * MIN5;
    const first = series.bars.find((b) => b.timestamp >= reach)!;
    for (const bar of series.bars) {
      if (bar.timestamp >= first.timestamp) expect(bar.openInterestUsd).toBeCloseTo(oiBase(bar.timestamp) * price(bar.timestamp), 6);
      else expect(bar.openInterestUsd).toBe(first.openInterestUsd);
      expect(bar.fundingRate).toBe(0.0002);
    }
    expect(series.bars.every((b) => b.longShortRatio === 0.9)).toBe(true);
    // A market funding every hour: its rates are per hour.
    expect(series.fundingIntervalMs).toBe(HOUR);
    expect(calls.filter((c) => c.path.endsWith('long-short-account-ratio-contract'))).toHaveLength(2);
    expect(series.notes.join(' ')).toMatch(/latest 1,440 open-interest rows/);
    // Hourly funding over 7 days: every page bounded at both ends (`after` too), so no window repeats the newest 100.
    const funding = calls.filter((c) => c.path.endsWith('funding-rate-history'));
    expect(funding).toHaveLength(2);
    for (const c of funding) expect(Number(c.query.after) - Number(c.query.before)).toBeLessThanOrEqual(100 * HOUR + 2);
    // Candles 300 a call (ccxt's recorded history-candles request asks for 300); open interest only inside its reach, 100 a call.
    const candleCalls = calls.filter((c) => c.path.includes('candles'));
    expect(candleCalls).toHaveLength(Math.ceil(series.bars.length / 300));
    expect(candleCalls.every((c) => c.query.limit === '300')).toBe(true);
    for (const c of calls.filter((x) => x.path.endsWith('open-interest-history'))) expect(Number(c.query.begin)).toBeGreaterThanOrEqual(reach - 1);
    const tiers = await source.fetchMarginTiers('BTC-USDT-SWAP');
    expect(tiers.source).toBe('live');
    // 10,000 contracts x 0.01 BTC x 50,000 USDT = 5,000,000 USDT.
    expect(tiers.tiers).toEqual([
      { maxNotionalUsd: 5_000_000, maxLeverage: 100, maintenanceRate: 0.004, maintenanceAmountUsd: 0 },
      { maxNotionalUsd: 25_000_000, maxLeverage: 50, maintenanceRate: 0.006, maintenanceAmountUsd: 0 },
    ]);
    // The market list carries the contract size: the order check converts a size typed in contracts.
    expect((await source.listMarkets()).find((m) => m.symbol === 'BTC-USDT-SWAP')?.contractSize).toBe(0.01);
  });
});

describe('data layer: Bitget', () => {
  let oiNow = 2000;
  const router: Router = ({ path, query }) => {
    const ok = (data: unknown) => ({ code: '00000', msg: 'success', requestTime: NOW, data });
    switch (path) {
      case '/api/v2/public/time':
        return ok({ serverTime: String(NOW) });
      case '/api/v2/mix/market/candles':
      case '/api/v2/mix/market/history-candles': {
        const rows = barTimes(Number(query.startTime ?? 0), Number(query.endTime ?? NOW), MIN5).slice(-Number(query.limit ?? 100));
        return ok(rows.map((t) => { const c = candle(t, MIN5); return [String(t), String(c.o), String(c.h), String(c.l), String(c.c), String(c.v), String(c.v * c.c)]; }));
      }
      case '/api/v2/mix/market/open-interest':
        return ok({ openInterestList: [{ symbol: query.symbol, size: String(oiNow) }], ts: String(NOW) });
      case '/api/v2/mix/market/history-fund-rate': {
        // An hourly market: pages of `pageSize` (at most 100) by `pageNo`, newest first; no time range.
        const size = Math.min(Number(query.pageSize ?? 20), 100);
        const page = Number(query.pageNo ?? 1);
        const rows = barTimes(NOW - 30 * DAY, NOW, HOUR).reverse().slice((page - 1) * size, page * size);
        return ok(rows.map((t) => ({ symbol: query.symbol, fundingRate: String(0.00005 + t / 1e18), fundingTime: String(t) })));
      }
      case '/api/v2/mix/market/account-long-short': {
        // The latest 30 rows of the period, as Bitget answers (no start time).
        const periods: Record<string, number> = { '5m': MIN5, '15m': 3 * MIN5, '1h': HOUR, '2h': 2 * HOUR, '4h': 4 * HOUR, '6h': 6 * HOUR, '12h': 12 * HOUR, '1d': DAY };
        const step = periods[query.period ?? '5m']!;
        const ratio = query.period === '5m' ? '1.2' : '1.1';
        return ok(barTimes(NOW - 40 * DAY, NOW, step).slice(-30).map((t) => ({ longAccountRatio: '0.55', shortAccountRatio: '0.45', longShortAccountRatio: ratio, ts: String(t) })));
      }
      case '/api/v2/mix/market/query-position-lever':
        return ok([
          { symbol: query.symbol, level: '1', startUnit: '0', endUnit: '150000', leverage: '125', keepMarginRate: '0.004' },
          { symbol: query.symbol, level: '2', startUnit: '150000', endUnit: '750000', leverage: '100', keepMarginRate: '0.005' },
        ]);
      default:
        return undefined;
    }
  };

  it('no OI history: the current snapshot, interpolated from the newest held bar; ratio from the latest rows; live tiers', async () => {
    const calls: Call[] = [];
    const source = createBitgetSource({
      configure: (ex) => {
        withMarkets([linearMarket('BTCUSDT', 'BTC/USDT:USDT')])(ex as never);
        canned(router, calls)(ex as never);
      },
    });
    expect(source.capabilities.openInterest).toBe('snapshots');
    const cold = await expectValidSeries(source, 'BTCUSDT', NOW - 4 * DAY);
    // Cold: one snapshot, so every bar carries it (flat: the engine opens nothing there).
    expect(new Set(cold.bars.map((b) => b.openInterestBase))).toEqual(new Set([2000]));
    expect(cold.notes.join(' ')).toMatch(/Bitget publishes no open-interest history/);
    expect(cold.bars.at(-1)!.longShortRatio).toBe(1.2);
    // The 30 rows of 5m cover the last 2.5 hours; the 4h rows (30 of them: 5 days) the older bars.
    expect(calls.filter((c) => c.path.endsWith('account-long-short')).map((c) => c.query.period)).toEqual(['5m', '4h']);
    expect(cold.bars.every((b) => b.longShortRatio !== undefined)).toBe(true);
    expect(cold.bars.filter((b) => b.longShortRatio === 1.2).length).toBe(30);
    // Hourly funding over 5 days (4 days + the day before): pages 1 and 2 of 100 rates, each bar the rate of its hour.
    expect(calls.filter((c) => c.path.endsWith('history-fund-rate')).map((c) => [c.query.pageNo, c.query.pageSize])).toEqual([
      ['1', '100'],
      ['2', '100'],
    ]);
    for (const bar of cold.bars) expect(bar.fundingRate).toBe(0.00005 + Math.floor(bar.timestamp / HOUR) * HOUR / 1e18);
    expect(cold.fundingIntervalMs).toBe(HOUR);
    // Later: the anchor (newest held bar) had 2,000; now 2,600 at the current bar: linear in between.
    oiNow = 2600;
    const anchor = cold.bars.at(-25)!;
    const update = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: anchor.timestamp, anchor });
    const current = Math.floor(NOW / MIN5) * MIN5;
    for (const bar of update.bars) {
      const expected = 2000 + (600 * (bar.timestamp - anchor.timestamp)) / (current - anchor.timestamp);
      expect(bar.openInterestBase).toBeCloseTo(expected, 9);
    }
    const tiers = await source.fetchMarginTiers('BTCUSDT');
    expect(tiers).toMatchObject({ source: 'live' });
    expect(tiers.tiers.map((t) => [t.maxNotionalUsd, t.maxLeverage, t.maintenanceRate, t.maintenanceAmountUsd])).toEqual([
      [150_000, 125, 0.004, 0],
      [750_000, 100, 0.005, 150],
    ]);
  });
});

describe('data layer: Hyperliquid', () => {
  const universe = [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }, { name: 'kPEPE', szDecimals: 0, maxLeverage: 10 }];
  const router: Router = ({ path, body }) => {
    if (path !== '/info' || !body) return undefined;
    const req = (body.req ?? {}) as Record<string, number | string>;
    switch (body.type) {
      case 'exchangeStatus':
        return { time: String(NOW), specialStatuses: null };
      case 'meta':
        return { universe };
      case 'spotMeta':
        return { universe: [], tokens: [] };
      case 'metaAndAssetCtxs':
        return [
          { universe },
          [
            { funding: '0.0000125', openInterest: '1234.5', prevDayPx: '100', dayNtlVlm: '1', premium: '0', oraclePx: '100', markPx: '101', midPx: '101', impactPxs: ['101', '101'], dayBaseVlm: '1' },
            { funding: '0.0000125', openInterest: '99', prevDayPx: '0.01', dayNtlVlm: '1', premium: '0', oraclePx: '0.01', markPx: '0.01', midPx: '0.01', impactPxs: ['0.01', '0.01'], dayBaseVlm: '1' },
          ],
        ];
      case 'candleSnapshot': {
        expect(req.coin).toBe('BTC');
        const tf = req.interval === '5m' ? MIN5 : req.interval === '15m' ? 900_000 : HOUR;
        return barTimes(Number(req.startTime), Number(req.endTime), tf).slice(0, 5000).map((t) => {
          const c = candle(t, tf);
          return { t, T: t + tf - 1, s: 'BTC', i: req.interval, o: String(c.o), c: String(c.c), h: String(c.h), l: String(c.l), v: String(c.v), n: 5 };
        });
      }
      case 'fundingHistory':
        return barTimes(Number(body.startTime), Number(body.endTime ?? NOW), HOUR).slice(0, 500).map((t) => ({ coin: 'BTC', fundingRate: '0.0000125', premium: '0', time: t }));
      default:
        return undefined;
    }
  };

  it('markets by coin name; candles up to 5,000 a call; OI snapshot in coins; hourly funding; no ratio; shipped tiers', async () => {
    const calls: Call[] = [];
    const source = createHyperliquidSource({
      configure: (ex) => {
        canned(router, calls)(ex as never);
      },
    });
    expect(source.capabilities).toMatchObject({ openInterest: 'snapshots', longShortRatio: false, liveMarginTiers: false });
    const series = await expectValidSeries(source, 'BTC', NOW - 3 * DAY);
    // Hyperliquid's 1,234.5 counts longs and shorts: half of it, as the other exchanges count.
    expect(new Set(series.bars.map((b) => b.openInterestBase))).toEqual(new Set([617.25]));
    expect(series.bars.every((b) => b.fundingRate === 0.0000125 && b.longShortRatio === undefined)).toBe(true);
    // Hourly rates, and the series says so.
    expect(series.fundingIntervalMs).toBe(HOUR);
    expect(calls.filter((c) => c.body?.type === 'candleSnapshot')).toHaveLength(1);
    const tiers = await source.fetchMarginTiers('BTC');
    expect(tiers.source).toBe('shipped');
    const markets = await source.listMarkets();
    expect(markets.map((m) => [m.symbol, m.unified, m.maxLeverage])).toEqual([
      ['BTC', 'BTC/USDC:USDC', 40],
      ['kPEPE', 'KPEPE/USDC:USDC', 10],
    ]);
    await expect(source.fetchSeries({ symbol: 'ETH', timeframe: '5m', since: NOW - DAY })).rejects.toMatchObject({ code: 'unknown-symbol' });
  });
});
