/**
 * Types of ccxt's per-exchange module files.
 *
 * The extension imports each exchange's own file (`ccxt/js/src/<id>.js`) instead of the `ccxt`
 * package index, which does not tree-shake (5.6 MB for one exchange, ~1.1 MB for these five).
 * The package exports only ".", so `wxt.config.ts` maps `ccxt-exchange/<id>` to that file for
 * Vite; these declarations give TypeScript the same names, typed by ccxt's own declarations.
 * Every project that compiles a file importing `ccxt-exchange/...` (the app and, through the
 * tests, the node project) sees them through a `/// <reference>` in that file.
 *
 * `ccxt-exchange/types` is types only (`export type`): TypeScript rejects a value import from it,
 * so it can never reach the bundle.
 */
declare module 'ccxt-exchange/binanceusdm' {
  import { binanceusdm } from 'ccxt';
  export default binanceusdm;
}
declare module 'ccxt-exchange/bybit' {
  import { bybit } from 'ccxt';
  export default bybit;
}
declare module 'ccxt-exchange/okx' {
  import { okx } from 'ccxt';
  export default okx;
}
declare module 'ccxt-exchange/bitget' {
  import { bitget } from 'ccxt';
  export default bitget;
}
declare module 'ccxt-exchange/hyperliquid' {
  import { hyperliquid } from 'ccxt';
  export default hyperliquid;
}
declare module 'ccxt-exchange/types' {
  export type { Exchange, FundingRateHistory, LeverageTier, LongShortRatio, MarketInterface as Market, OHLCV, OpenInterest } from 'ccxt';
}
