/**
 * Futures order pages of the supported exchanges: where the content script runs, and the only
 * sites its later code (`content-chunks/`) is web-accessible to. Chrome match patterns: the path
 * part (query included) is matched whole, and its `*` matches any run of characters, `/` included;
 * a star between two slashes before `futures` needs a segment there, so the locale-free address
 * has a pattern of its own. Each address shape, and the parser's answer for it, is checked in
 * tests/page-url.test.ts; the public sources of the shapes are named beside their patterns.
 */
export const FUTURES_PAGE_MATCHES = [
  // Binance USDⓈ-M: with a locale (`/en/`, `/zh-CN/`: many sources) and without one
  // (jackhai9/userscripts src/binance-orderbook-trade/index.user.js, 2026-07).
  'https://www.binance.com/futures/*',
  'https://www.binance.com/*/futures/*',
  // Bybit USDT perpetuals: the live `/en/trade/usdt/BTCUSDT` (a Bybit interface study, 2026-09);
  // link builders write `/en-US/` and `/zh-CN/`, and the locale-free address is real too.
  'https://www.bybit.com/trade/usdt/*',
  'https://www.bybit.com/*/trade/usdt/*',
  // OKX swaps: notiv-nt/cex-utilities manifest (2023), a 2026-04 capture (`/ua/`, `/zh-hans/`).
  'https://www.okx.com/trade-swap/*',
  'https://www.okx.com/*/trade-swap/*',
  // Bitget USDT-M: sml122900/futures-journal-extension manifest.json and docs/daily/2026-05-20.md
  // (`/futures/...`, `/asia/futures/...`, `/<locale>/futures/...`); the second also covers `/asia/`.
  'https://www.bitget.com/futures/usdt/*',
  'https://www.bitget.com/*/futures/usdt/*',
  // Hyperliquid: `/trade` and `/trade/<COIN>` (the parser sets spot and builder-dex paths apart).
  // One pattern: `/trade?ref=...` must match too (the query is part of the matched path).
  'https://app.hyperliquid.xyz/trade*',
] as const;
