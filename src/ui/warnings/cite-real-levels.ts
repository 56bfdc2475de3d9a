/**
 * Pre-trade warnings citing the real Hyperliquid levels (src/data/hyperliquid-positions): a
 * warning about the order's stop, or about its own liquidation price, names the largest real
 * liquidation of that side lying between the entry and just beyond that price ("A real $4.1M
 * long liquidation on Hyperliquid sits 0.3 % beyond your stop (67,800)."). A description of
 * risk beside the estimate's finding, never advice: it adds no finding, severity or suggested
 * value of its own, and cites nothing when no warning is shown.
 *
 * The levels come from ./real-level-citations.ts. Needed only once an order is checked, so it loads with the order check's engine, on demand
 * (./order-check-engine.ts).
 */
import type { Finding, FindingKind, PlannedOrder, RiskAssessment } from '../../engine/types';
import { type CitedView, type NoteAt, realLevelNote } from '../../data/hyperliquid-positions/order-notes';

/** Which finding cites the level beyond which price. */
const CITED_BY: readonly (readonly [FindingKind, NoteAt])[] = [
  ['stop-in-hunt-zone', 'stop'],
  ['liquidation-in-pool', 'liquidation'],
];

/**
 * The assessment with the real level beyond the stop appended to the stop's finding and the one
 * beyond the order's liquidation price to that finding; the same object when nothing is cited.
 * `view` must be of the order's coin (see `watchOrderRealLevels`, ./real-level-citations.ts).
 * @example citeRealLevels({ side: 'long', entry: 70_000, stop: 68_000, ... }, assessment, view).findings[0]?.message
 * // '... A real $4.1M long liquidation on Hyperliquid sits 0.3 % beyond your stop (67,800).'
 */
export function citeRealLevels(order: PlannedOrder, assessment: RiskAssessment, view: CitedView | undefined): RiskAssessment {
  if (!view || view.levels.length === 0 || assessment.findings.length === 0) return assessment;
  const priceOf: Record<NoteAt, number | undefined> = { stop: order.stop, liquidation: assessment.liquidationPrice };
  const cited = new Set<string>();
  let changed = false;
  const findings = assessment.findings.map((finding): Finding => {
    const at = CITED_BY.find(([kind]) => kind === finding.kind)?.[1];
    const price = at ? priceOf[at] : undefined;
    if (!at || price === undefined || cited.has(at)) return finding;
    const note = realLevelNote({ side: order.side, entry: order.entry, stop: price }, view, at);
    if (!note) return finding;
    cited.add(at);
    changed = true;
    return { ...finding, message: `${finding.message} ${note.text}` };
  });
  return changed ? { ...assessment, findings } : assessment;
}
