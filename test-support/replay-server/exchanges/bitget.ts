/**
 * Bitget USDT-M perpetual futures (v2 mix, productType USDT-FUTURES), replayed for tests: the
 * public endpoints ccxt's `bitget` module and `src/data/exchanges/bitget.ts` call, in Bitget's
 * response shape (`{ code: '00000', msg: 'success', requestTime, data }`, numbers as strings).
 *
 * No Bitget recording exists: every value here is Binance's recorded BTCUSDT series standing in
 * (candles with the bar still forming, the current open interest, funding), a test fixture only,
 * never Bitget's market. Not served: coin networks.
 *
 * `history-fund-rate` pages by `pageNo`/`pageSize` only (no time range), newest first, as Bitget
 * documents it. The long/short account ratio (`account-long-short`, `symbol` and `period` only, the
 * latest 30 rows) is Binance's recorded ratio standing in (see `recorded-series.ts`): a fixture for
 * the shape and for covering a lookback with 30 rows, not Bitget's accounts. Position tiers
 * (`query-position-lever`, bounds in USDT): the BTCUSDT rows Bitget's unified-account endpoint
 * returned in ccxt's recording (`../shared/data/exchange-fixtures/bitget.json`, 2025-07-17), in the
 * v2 endpoint's documented field names.
 */
import { json } from '../http';
import { ApiError, intParam } from './api-error';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { recordedSeries, type RecordedSeries } from './recorded-series';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Rows `account-long-short` returns (the latest of the period; the recording of live use). */
const RATIO_ROWS = 30;
const RATIO_PERIOD_MS: Readonly<Record<string, number>> = { '5m': 5 * 60_000, '15m': 15 * 60_000, '30m': 30 * 60_000, '1h': 3_600_000, '2h': 7_200_000, '4h': 14_400_000, '6h': 21_600_000, '12h': 43_200_000, '1d': 86_400_000 };

/** The recorded BTCUSDT tier rows (UTA shape) from ccxt's fixture excerpt. */
function recordedTiers(dataDir: string): { tier: string; minTierValue: string; maxTierValue: string; leverage: string; mmr: string }[] {
  const file = JSON.parse(readFileSync(join(dataDir, 'exchange-fixtures', 'bitget.json'), 'utf8')) as {
    methods: { fetchMarketLeverageTiers: { httpResponse: { data: { tier: string; minTierValue: string; maxTierValue: string; leverage: string; mmr: string }[] } }[] };
  };
  return file.methods.fetchMarketLeverageTiers[0]!.httpResponse.data;
}

const MIN = 60_000;
const GRANULARITY: Readonly<Record<string, number>> = { '5m': 5 * MIN, '15m': 15 * MIN, '1H': 60 * MIN };
const SYMBOL = 'BTCUSDT';
const PRODUCT = 'USDT-FUTURES';
/** `period` values of `/api/v2/mix/market/account-long-short`, as Bitget documents them. */
const RATIO_PERIODS = new Set(['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d']);

/** BTCUSDT as `/api/v2/mix/market/contracts` lists it (Bitget's documented example values). */
const CONTRACT = {
  symbol: SYMBOL,
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  buyLimitPriceRatio: '0.01',
  sellLimitPriceRatio: '0.01',
  feeRateUpRatio: '0.005',
  makerFeeRate: '0.0002',
  takerFeeRate: '0.0006',
  openCostUpRatio: '0.01',
  supportMarginCoins: ['USDT'],
  minTradeNum: '0.001',
  priceEndStep: '1',
  volumePlace: '3',
  pricePlace: '1',
  sizeMultiplier: '0.001',
  symbolType: 'perpetual',
  minTradeUSDT: '5',
  maxSymbolOrderNum: '200',
  maxProductOrderNum: '400',
  maxPositionNum: '150',
  symbolStatus: 'normal',
  offTime: '-1',
  limitOpenTime: '-1',
  deliveryTime: '',
  deliveryStartTime: '',
  deliveryPeriod: '',
  launchTime: '',
  fundInterval: '8',
  minLever: '1',
  maxLever: '125',
  posLimit: '0.05',
  maintainTime: '',
};

const int = (q: URLSearchParams, name: string) => intParam(q, name, (n) => new ApiError('40034', `Parameter ${n} does not exist`));

class BitgetReplay implements ExchangeInstance {
  private readonly series: RecordedSeries;

  constructor(private readonly ctx: ExchangeContext) {
    this.series = recordedSeries(ctx.dataDir, 'binance-stand-in');
  }

  handleHttp(req: ReplayRequest): HttpReply {
    const now = this.ctx.clock.now();
    try {
      return json(200, { code: '00000', msg: 'success', requestTime: now, data: this.answer(req, now) });
    } catch (error) {
      if (error instanceof ApiError) return json(400, { code: error.code, msg: error.message, requestTime: now, data: null });
      throw error;
    }
  }

  private answer(req: ReplayRequest, now: number): unknown {
    const q = req.query;
    const contract = () => {
      if (q.get('symbol') !== SYMBOL || q.get('productType')?.toUpperCase() !== PRODUCT) throw new ApiError('40034', 'Parameter symbol does not exist');
    };
    switch (req.path) {
      case '/api/v2/public/time':
        return { serverTime: String(now) };
      case '/api/v2/spot/public/coins':
        // ccxt loads the currencies with the markets; the two coins of the contract, without networks.
        return ['BTC', 'USDT'].map((coin, i) => ({ coinId: String(i + 1), coin, transfer: 'true', areaCoin: 'no', chains: [] }));
      case '/api/v2/mix/market/contracts':
        return q.get('productType')?.toUpperCase() === PRODUCT ? [{ ...CONTRACT, fundInterval: String(this.ctx.fundingHours('bitget')) }] : [];
      case '/api/v2/mix/market/candles':
      case '/api/v2/mix/market/history-candles': {
        contract();
        const interval = GRANULARITY[q.get('granularity') ?? ''];
        if (!interval) throw new ApiError('40034', 'Parameter granularity does not exist');
        const limit = Math.min(int(q, 'limit') ?? 100, req.path.endsWith('history-candles') ? 200 : 1000);
        // The latest `limit` candles of the range, oldest first.
        const rows = this.series.candles(interval, int(q, 'startTime') ?? 0, int(q, 'endTime') ?? now, now).slice(-limit);
        return rows.map((k) => [String(k.openTime), String(k.open), String(k.high), String(k.low), String(k.close), k.volume.toFixed(3), k.quoteVolume.toFixed(4)]);
      }
      case '/api/v2/mix/market/open-interest': {
        contract();
        const oi = this.series.openInterestNow(now);
        return { openInterestList: oi ? [{ symbol: SYMBOL, size: oi.base.toFixed(4) }] : [], ts: String(now) };
      }
      case '/api/v2/mix/market/history-fund-rate': {
        contract();
        const size = Math.min(int(q, 'pageSize') ?? 20, 100);
        const page = int(q, 'pageNo') ?? 1;
        const rows = this.series.fundingAt(this.ctx.fundingHours('bitget'), 0, now, now).reverse();
        return rows.slice((page - 1) * size, page * size).map((f) => ({ symbol: SYMBOL, fundingRate: String(f.rate), fundingTime: String(f.time) }));
      }
      case '/api/v2/mix/market/account-long-short':
        // Takes `symbol` alone (no productType), as Bitget documents it.
        if (q.get('symbol') !== SYMBOL) throw new ApiError('40034', 'Parameter symbol does not exist');
        if (!RATIO_PERIODS.has(q.get('period') ?? '5m')) throw new ApiError('40034', 'Parameter period does not exist');
        {
          const period = RATIO_PERIOD_MS[q.get('period') ?? '5m']!;
          const rows = this.series.ratio(period, 0, now, now).slice(-RATIO_ROWS);
          return rows.map((p) => {
            const long = p.longAccount / (p.longAccount + p.shortAccount);
            return { longAccountRatio: long.toFixed(4), shortAccountRatio: (1 - long).toFixed(4), longShortAccountRatio: p.ratio.toFixed(4), ts: String(p.time) };
          });
        }
      case '/api/v2/mix/market/query-position-lever':
        contract();
        return recordedTiers(this.ctx.dataDir).map((t) => ({ symbol: SYMBOL, level: t.tier, startUnit: t.minTierValue, endUnit: t.maxTierValue, leverage: t.leverage, keepMarginRate: t.mmr }));
      default:
        throw new ApiError('40404', `unknown path ${req.path}`);
    }
  }

  recordingEnd(): number {
    return this.series.end;
  }
}

export const bitget: ExchangeModule = {
  id: 'bitget',
  restHosts: ['api.bitget.com'],
  wsHosts: [],
  pageHosts: ['www.bitget.com'],
  create: (ctx) => new BitgetReplay(ctx),
};
