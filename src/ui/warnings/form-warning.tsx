import type { ComponentChildren } from 'preact';
import type { CheckState, CopyText } from './check-state';
import { FindingList } from './finding-list';

export interface FormWarningProps {
  readonly state: CheckState;
  readonly dismissed: boolean;
  readonly onDismiss: () => void;
  readonly copy: CopyText;
}

/** The warning beside the order form: not a modal, gone when dismissed for this order. */
export function FormWarning({ state, dismissed, onDismiss, copy }: FormWarningProps) {
  if (state.kind === 'no-map') return <NotChecked kind="no-map">No liquidation map for {state.symbol} yet: this order was not checked.</NotChecked>;
  if (state.kind === 'check-failed') {
    return <NotChecked kind="check-failed">The order check could not load: this order was not checked. It is tried again on the next change.</NotChecked>;
  }
  if (state.kind !== 'checked' || dismissed || state.assessment.findings.length === 0) return null;
  const { assessment } = state;
  return (
    <div class={`card sev-${assessment.severity}`} role="status" aria-live="polite" data-state="checked" data-severity={assessment.severity}>
      <div class="head">
        <strong>LiqLens</strong>
        <span class="level">{assessment.severity}</span>
        <button type="button" class="dismiss" aria-label="Dismiss for this order" title="Dismiss for this order" onClick={onDismiss}>
          ×
        </button>
      </div>
      <FindingList findings={assessment.findings} copy={copy} />
      <p class="note">Context from an estimate, not advice. LiqLens never changes the order form.</p>
    </div>
  );
}

/** The card that says why an order was not checked. */
function NotChecked({ kind, children }: { readonly kind: 'no-map' | 'check-failed'; readonly children: ComponentChildren }) {
  return (
    <div class="card sev-info" role="status" data-state={kind}>
      <div class="head">
        <strong>LiqLens</strong>
      </div>
      <p class="muted">{children}</p>
    </div>
  );
}
