/**
 * Which estimate a request names: the background keys its computed views by it, and the panel
 * asks with it whether a view it holds answers its request.
 */
import { EXCHANGES, type EstimateRequest, LEVERAGE_TIERS } from './contract';

/** The parts of a request that name a view: another bar size, other leverage weights or another tier filter give another map. */
export function viewKey(req: EstimateRequest): string {
  const tiers = tierFilter(req.leverages)?.join(',') ?? 'all';
  const scope = req.aggregate ? `agg=${[...(req.aggregateWith ?? EXCHANGES)].sort().join(',')}` : 'one';
  return `${req.exchange}:${req.symbol}:${req.lookback}:${req.timeframe ?? 'auto'}:${req.leverageWeights?.join(',') ?? 'default'}:${tiers}:${scope}`;
}

/**
 * The leverage filter in ascending order, or undefined when it keeps every tier (no filter).
 * Throws when it names no modelled tier: that estimate would be empty, not "no liquidations".
 * @example tierFilter([100, 50]) // [50, 100]
 */
export function tierFilter(leverages: readonly number[] | undefined): number[] | undefined {
  if (!leverages) return undefined;
  const kept = LEVERAGE_TIERS.filter((l) => leverages.includes(l));
  if (kept.length === 0) {
    throw new Error(`none of the leverages ${leverages.join(', ')} is a modelled tier (${LEVERAGE_TIERS.join(', ')})`);
  }
  return kept.length === LEVERAGE_TIERS.length ? undefined : kept;
}
