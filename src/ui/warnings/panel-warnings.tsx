import { useState } from 'preact/hooks';
import type { ManualOrder } from '../../sites/order-check';
import type { OrderFormReading } from '../../sites/types';
import type { TaughtField } from '../../sites/user-fields/locator';
import type { CheckState, CopyText } from './check-state';
import { FieldStatusList } from './field-status';
import { FindingList } from './finding-list';
import { ManualEntry } from './manual-entry';

export interface PanelWarningsProps {
  /** What the page's form shows; null when there is no readable form. */
  readonly reading: OrderFormReading | null;
  readonly state: CheckState;
  readonly dismissed: boolean;
  readonly onDismiss: () => void;
  readonly onManual: (order: ManualOrder | undefined) => void;
  readonly copy: CopyText;
  /** Fields the user pointed to on this site (stored locators). */
  readonly stored?: readonly TaughtField[];
  /** The field being picked on the page. */
  readonly picking?: TaughtField | undefined;
  /** What became of the last pick, when it needs saying (nothing stable to find the field by). */
  readonly pickNote?: string | undefined;
  /** Starts "Point to the field" for `field`; absent where picking is not offered. */
  readonly onPick?: (field: TaughtField) => void;
  /** Forgets the fields pointed to on this site. */
  readonly onForget?: () => void;
}

/** The panel's part of the order warnings: what was read, the findings, and manual entry when the form cannot be read. */
export function PanelWarnings({ reading, state, dismissed, onDismiss, onManual, copy, stored = [], picking, pickNote, onPick, onForget }: PanelWarningsProps) {
  const [manualOpen, setManualOpen] = useState(false);
  const findings = state.kind === 'checked' && !dismissed ? state.assessment.findings : [];
  const severity = state.kind === 'checked' && findings.length > 0 ? state.assessment.severity : 'info';
  return (
    <section class={`order-check sev-${severity}`} aria-label="LiqLens order check" data-form={reading ? 'read' : 'unreadable'}>
      <div class="head">
        <strong>Order check</strong>
        <span class="level">{findings.length > 0 ? severity : ''}</span>
        {findings.length > 0 ? (
          <button type="button" class="dismiss" aria-label="Dismiss for this order" title="Dismiss for this order" onClick={onDismiss}>
            ×
          </button>
        ) : null}
      </div>
      {reading ? null : (
        <>
          <p class="muted">
            The order form on this page could not be read{onPick ? ': point LiqLens to its fields below, or' : '.'}{' '}
            {manualOpen ? null : (
              <button type="button" onClick={() => setManualOpen(true)}>
                Enter side, entry and stop
              </button>
            )}
          </p>
          {manualOpen ? <ManualEntry onChange={onManual} /> : null}
        </>
      )}
      {/* What was read, field by field (the reading itself in data-reading, for the browser tests). */}
      <div data-reading={reading ? JSON.stringify(reading) : undefined}>
        <FieldStatusList reading={reading} stored={stored} picking={picking} onPick={onPick} onForget={onForget} />
      </div>
      {pickNote ? (
        <p class="muted problem" role="alert">
          {pickNote}
        </p>
      ) : null}
      {state.kind === 'no-map' ? <p class="muted">No liquidation map for {state.symbol} yet: the order was not checked.</p> : null}
      {state.kind === 'check-loading' ? (
        <p class="muted" data-state="check-loading">
          The order check is loading…
        </p>
      ) : null}
      {state.kind === 'check-failed' ? (
        <p class="muted problem" role="alert" data-state="check-failed">
          The order check could not load: the order was not checked. It is tried again on the next change; reloading the page also helps.
        </p>
      ) : null}
      {state.kind === 'checked' && state.assessment.findings.length === 0 ? <p class="muted">No pool near the entry, stop or take-profit.</p> : null}
      {findings.length > 0 ? <FindingList findings={findings} copy={copy} /> : null}
    </section>
  );
}
