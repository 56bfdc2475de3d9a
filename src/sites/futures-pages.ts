/**
 * Futures order pages of the supported exchanges: where the content script runs, and the only
 * sites its later code (`content-chunks/`) is web-accessible to.
 */
export const FUTURES_PAGE_MATCHES = [
  'https://www.binance.com/*/futures/*',
  'https://www.bybit.com/trade/usdt/*',
  'https://www.okx.com/*trade-swap/*',
  'https://www.bitget.com/*futures/*',
  'https://app.hyperliquid.xyz/trade*',
] as const;
