/** The leverage-tier filter's choices: the tiers shown at first, and one chip's toggle. */
import { LEVERAGE_TIERS } from '../../messaging/contract';

/** Every tier when none (or none known) is given. */
export function initialTiers(leverages: readonly number[] | undefined): readonly number[] {
  const known = leverages ? LEVERAGE_TIERS.filter((l) => leverages.includes(l)) : [];
  return known.length > 0 ? known : LEVERAGE_TIERS;
}

/** Adds or removes one tier; the last one stays (an empty filter would be an empty map). */
export function toggleTier(tiers: readonly number[], leverage: number): readonly number[] {
  if (tiers.includes(leverage)) return tiers.length === 1 ? tiers : tiers.filter((l) => l !== leverage);
  return LEVERAGE_TIERS.filter((l) => l === leverage || tiers.includes(l));
}
