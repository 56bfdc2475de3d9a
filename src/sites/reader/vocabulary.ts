/**
 * The words order forms use for their fields and buttons, in English and Simplified Chinese.
 * Sources for the words: SITES-EVIDENCE.md (Binance `数量`/`委托价格`/`开多`/`开空`/`全仓` from
 * jackhai9/userscripts `src/binance-orderbook-trade/` 2026; Hyperliquid `Buy / Long`,
 * `Price (USDC)`, `Size` from zyonlab/TestPilot 2026-09; OKX `Amount (Contracts)` 2026-04 capture;
 * Bybit `Stop Loss` from mmintel/chrome-bybit-extension 2022-09). Patterns are anchored at the start
 * of a name, so `TP trigger price` is a take-profit and never a price.
 */

/** Accessible names of the inputs the reader looks for, tried in this order (stop and TP before price). */
export const FIELD_NAMES = {
  stop: /^(?:sl\b|stop[\s-]*loss|stop\s*price|sl\s*trigger|止损)/i,
  takeProfit: /^(?:tp\b|take[\s-]*profit|tp\s*trigger|止盈)/i,
  price: /^(?:(?:order|limit|entry)\s+)?price\b|^(?:委托)?价格|^限价(?:价格)?$|^委托价/i,
  size: /^(?:size|amount|qty\b|quantity|order\s+qty|数量|张数|下单数量|仓位大小)/i,
} as const;

export type FieldRole = keyof typeof FIELD_NAMES;
export const FIELD_ROLES: readonly FieldRole[] = ['stop', 'takeProfit', 'price', 'size'];

/** Text of a control that opens or picks a long (Buy/Long, Open long, 买入/开多). */
export const LONG_TEXT = /^(?:buy\b|long\b|open\s*long|开多|买入|做多|买涨)/i;
/** Text of a control that opens or picks a short (Sell/Short, Open short, 卖出/开空). */
export const SHORT_TEXT = /^(?:sell\b|short\b|open\s*short|开空|卖出|做空|买跌)/i;

/** Order-type tabs. */
export const LIMIT_TEXT = /^(?:limit|限价)(?:\s*order|单|委托)?$/i;
export const MARKET_TEXT = /^(?:market|市价)(?:\s*order|单|委托)?$/i;

/** A leverage text: `20x`, `Cross 20x`, `全仓 20x`, `Isolated 5x5x`, `×20`. */
export const LEVERAGE_TEXT = /^(?:(?:cross|isolated|全仓|逐仓)\s*[·:]?\s*)?(?:[x×]\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*[x×](?:\s*\d+(?:\.\d+)?\s*[x×])?)$/i;

/**
 * A control showing the margin mode on its own, beside the leverage: Hyperliquid's `Cross` /
 * `Isolated` (SITES-EVIDENCE.md, zyonlab/TestPilot 2026-09), and Binance's words `全仓` / `逐仓`.
 */
export const MARGIN_MODE_TEXT = /^(?:cross|isolated|全仓|逐仓)$/i;

/** Submit buttons that name no side (Hyperliquid's `Place Order`). */
export const SUBMIT_TEXT = /^(?:place\s*order|下单|提交)/i;

/** Texts longer than this are not a button's or a tab's label. */
export const MAX_CONTROL_TEXT = 60;
