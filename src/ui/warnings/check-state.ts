/** What the warnings show for the order being typed. */
import type { PlannedOrder, RiskAssessment } from '../../engine/types';

export type CheckState =
  /** No order to check yet: the side or the entry is not known. */
  | { readonly kind: 'idle' }
  /** An order, but no liquidation map for this market (still loading, or it failed). */
  | { readonly kind: 'no-map'; readonly order: PlannedOrder; readonly symbol: string }
  /** An order and a map, but the check's engine is still loading (src/ui/warnings/order-engine.ts). */
  | { readonly kind: 'check-loading'; readonly order: PlannedOrder }
  /** An order and a map, but the check's engine failed to load (tried again on the next change). */
  | { readonly kind: 'check-failed'; readonly order: PlannedOrder }
  | { readonly kind: 'checked'; readonly order: PlannedOrder; readonly key: string; readonly assessment: RiskAssessment };

/** Copies text for the user (the clipboard); resolves when done. */
export type CopyText = (text: string) => Promise<void>;
