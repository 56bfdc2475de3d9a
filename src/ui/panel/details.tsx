/** The panel's text rows: nearest pools above and below the price, and the market context. */
import type { EstimateView } from '../../messaging/contract';
import { fmtAccountRatio, fmtChange, fmtFunding, fmtPrice, fmtReliability, fmtTrend, poolLine, poolRange, splitPools, trendTitle } from '../format';

export function PoolRows({ view }: { view: EstimateView }) {
  const { above, below } = splitPools(view.pools, view.price, 2);
  return (
    <div class="pools">
      {above.length === 0 ? <p class="none">No pool above</p> : null}
      {[...above].reverse().map((pool) => (
        <p key={`a${pool.priceLow}`} class="pool above" data-pool="above" title={poolRange(pool)}>
          ▲ {poolLine(pool, view.price)}
        </p>
      ))}
      <p class="price">Price {fmtPrice(view.price)}</p>
      {below.map((pool) => (
        <p key={`b${pool.priceLow}`} class="pool below" data-pool="below" title={poolRange(pool)}>
          ▼ {poolLine(pool, view.price)}
        </p>
      ))}
      {below.length === 0 ? <p class="none">No pool below</p> : null}
    </div>
  );
}

/** Who pays funding: the crowded side. */
function crowded(view: EstimateView): string {
  const side = view.context.crowdedSide;
  return side === 'long' ? ' · longs pay' : side === 'short' ? ' · shorts pay' : '';
}

/** What the ratio is, and when it is missing, what that costs the map (its reliability reason). */
function ratioTitle(ctx: EstimateView['context']): string {
  const what = 'Accounts holding longs over accounts holding shorts, as the exchange publishes it';
  const reason = ctx.reliability.reasons.find((r) => r.factor === 'long-short-ratio');
  return ctx.longShortRatio === undefined && reason ? `${what}. ${reason.text}` : what;
}

export function ContextRows({ view }: { view: EstimateView }) {
  const ctx = view.context;
  const oi = ctx.openInterestChange;
  const reasons = [...ctx.reliability.reasons].sort((a, b) => a.score - b.score);
  return (
    <>
      <dl class="context">
        <div>
          <dt>Funding</dt>
          <dd data-context="funding" title="Funding per 8 hours (an exchange that settles more often, as Hyperliquid every hour, is scaled to 8 hours); the side that pays it is the crowded one">
            {fmtFunding(ctx)}
            {crowded(view)}
          </dd>
        </div>
        <div>
          <dt>Trend</dt>
          <dd data-context="trend" title={trendTitle(ctx)}>
            {fmtTrend(ctx)}
          </dd>
        </div>
        <div>
          <dt>OI 1h/4h/24h</dt>
          <dd data-context="oi">
            {fmtChange(oi.h1)} / {fmtChange(oi.h4)} / {fmtChange(oi.h24)}
          </dd>
        </div>
        <div>
          <dt>Long/short accounts</dt>
          <dd data-context="ratio" title={ratioTitle(ctx)}>
            {fmtAccountRatio(ctx)}
          </dd>
        </div>
        {reasons.length === 0 ? (
          <div>
            <dt>Reliability</dt>
            <dd data-context="reliability">{fmtReliability(ctx)}</dd>
          </div>
        ) : null}
      </dl>
      {reasons.length > 0 ? (
        // The reasons fold under the score: one line until the trader asks why.
        <details class="reliability">
          <summary>
            <span class="label">Reliability</span> <b data-context="reliability">{fmtReliability(ctx)}</b>
          </summary>
          <ul class="reasons" data-context="reasons" aria-label="Why this reliability">
            {reasons.slice(0, 3).map((reason, i) => (
              // The data layer may add a second reason of a factor (borrowed open interest, funding coverage).
              <li key={`${reason.factor}:${i}`} data-factor={reason.factor}>
                {reason.text}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
