/**
 * This exchange / aggregated, as two chips, in the panel and the full view. The caller decides
 * when "Aggregated" is offered (the background says whether it can aggregate, and why not).
 */

export interface ScopeChipsProps {
  readonly aggregate: boolean;
  readonly onAggregate: (aggregate: boolean) => void;
  /** "Aggregated" greyed out. */
  readonly disabled: boolean;
  /** Its title: why aggregating is not offered, or undefined when it is. */
  readonly unavailable?: string;
}

export function ScopeChips({ aggregate, onAggregate, disabled, unavailable }: ScopeChipsProps) {
  return (
    <div class="scope" role="group" aria-label="Exchanges">
      <button type="button" class="chip" aria-pressed={!aggregate} onClick={() => onAggregate(false)}>
        This exchange
      </button>
      <button
        type="button"
        class="chip"
        aria-pressed={aggregate}
        data-scope="aggregate"
        disabled={disabled}
        title={unavailable ?? 'All exchanges together'}
        onClick={() => onAggregate(true)}
      >
        Aggregated
      </button>
    </div>
  );
}
