/**
 * Which Hyperliquid coin holds a page's market, and the factor between their prices. Hyperliquid
 * lists some coins per 1,000 units under a `k` name (`/trade/kPEPE`, SITES-EVIDENCE.md): a page
 * quoting 1 PEPE (OKX `PEPE-USDT-SWAP`, Bitget `PEPEUSDT`) asks for `PEPE`, which Hyperliquid
 * does not list, and its positions are in `kPEPE` at 1,000 times the page's price. Pure.
 */

/** Page price per Hyperliquid price of a `k` coin: one kPEPE is 1,000 PEPE. */
export const THOUSAND_PRICE_FACTOR = 1 / 1000;

/**
 * The `k` coins of the recorded snapshot (`../shared/data/hyperliquid-positions/*.csv`,
 * 2026-02-15; none of PEPE, SHIB, BONK, FLOKI, LUNC or NEIRO is there without the `k`). Used only
 * until Hyperliquid's own list (`metaAndAssetCtxs`) has been read.
 */
export const RECORDED_THOUSAND_COINS: ReadonlySet<string> = new Set(['kBONK', 'kFLOKI', 'kLUNC', 'kNEIRO', 'kPEPE', 'kSHIB']);

export interface HeldCoin {
  /** Hyperliquid's name of the coin holding the market. */
  readonly coin: string;
  /** Page price = Hyperliquid price x factor (1, or {@link THOUSAND_PRICE_FACTOR}). */
  readonly priceFactor: number;
}

/**
 * The Hyperliquid coin of `watched` (a page's coin, per 1 unit): itself when Hyperliquid lists it,
 * else `k` + it at 1/1000 when Hyperliquid lists that one; `listed` is Hyperliquid's coin list,
 * undefined while not read (then the recorded `k` coins decide).
 * @example heldCoin('PEPE', new Set(['BTC', 'kPEPE'])) // { coin: 'kPEPE', priceFactor: 0.001 }
 */
export function heldCoin(watched: string, listed: ReadonlySet<string> | undefined): HeldCoin {
  const same = { coin: watched, priceFactor: 1 };
  if (/^k[A-Z]/.test(watched)) return same; // Already Hyperliquid's thousand name.
  const thousand = `k${watched}`;
  const isThousand = listed ? !listed.has(watched) && listed.has(thousand) : RECORDED_THOUSAND_COINS.has(thousand);
  return isThousand ? { coin: thousand, priceFactor: THOUSAND_PRICE_FACTOR } : same;
}
