/**
 * What a site adapter reads from an exchange's order form, and the shape every adapter has.
 * Only the order being typed is read: never balances, positions, orders or anything else of
 * the account.
 */
import type { ExchangeId, Side } from '../engine/types';

export type OrderType = 'limit' | 'market';

/** Size as the form shows it: the number and the unit picked beside it (`BTC`, `USDT`, `Cont`). */
export interface FormSize {
  readonly amount: number;
  readonly unit: string;
}

/** One reading of an order form. Fields the user has not filled in are absent. */
export interface OrderFormReading {
  /** The side picked on the form; absent when the form has no side switch and stop/TP do not tell. */
  readonly side?: Side;
  /** Where the side came from: the form's own switch, or the stop/take-profit's place relative to the entry. */
  readonly sideFrom?: 'form' | 'levels';
  readonly type: OrderType;
  /** Limit price, or the page's last price for a market order. */
  readonly entry?: number;
  readonly entryFrom: 'limit-price' | 'last-price';
  readonly stop?: number;
  readonly takeProfit?: number;
  readonly leverage?: number;
  readonly size?: FormSize;
}

/** A CSS selector list tried in order; the first that matches wins. */
export type Selectors = readonly string[];

/** Where one input of the form is: selectors first, then the text of its label. */
export interface FieldLocator {
  readonly selectors: Selectors;
  /** Matched against `<label>` text, `aria-label` and `aria-labelledby` text. */
  readonly label?: RegExp;
}

/** A choice on the form (side, order type) shown as tabs, radios or toggle buttons. */
export interface ChoiceLocator<K extends string> {
  readonly options: Readonly<Record<K, Selectors>>;
}

/**
 * Every page selector of one exchange, with the addresses it applies to. The one place to edit
 * when the exchange changes its page.
 */
export interface SiteSelectors {
  readonly exchange: ExchangeId;
  /** Match patterns (as in the manifest) of the pages these selectors apply to. */
  readonly urls: readonly string[];
  /** The order form's root element. */
  readonly form: Selectors;
  /** The side switch; absent when the form places long and short with two buttons. */
  readonly side?: ChoiceLocator<Side>;
  readonly orderType: ChoiceLocator<OrderType>;
  readonly price: FieldLocator;
  readonly size: FieldLocator;
  /** The unit shown beside the size (searched inside the form). */
  readonly sizeUnit: Selectors;
  readonly stop: FieldLocator;
  readonly takeProfit: FieldLocator;
  /** An element (button, select, input) whose text or value shows the leverage: `20x`. */
  readonly leverage: Selectors;
  /** The last traded price, anywhere on the page. */
  readonly lastPrice: Selectors;
  /** The form's submit buttons: the warning must never cover them. */
  readonly submit: Selectors;
}

/** One exchange's order-form reader. */
export interface SiteAdapter {
  readonly exchange: ExchangeId;
  readonly selectors: SiteSelectors;
  /** The order form on `doc`, or null when the page shows none. */
  findForm(doc: ParentNode): Element | null;
  /**
   * Reads the form; null when it cannot be read (a required input is missing), which is when
   * the panel offers manual entry.
   */
  read(form: Element, doc: ParentNode): OrderFormReading | null;
  /** The input the warning sits beside: the stop field when present, else the price field. */
  anchor(form: Element): Element | null;
  /** The form's submit buttons. */
  submitButtons(form: Element): Element[];
}
