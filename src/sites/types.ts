/**
 * What a site adapter reads from an exchange's order form, and the shape every adapter has.
 * Only the order being typed is read: never balances, positions, orders or anything else of
 * the account.
 */
import type { ExchangeId, MarginMode, Side } from '../engine/types';

/**
 * The order type picked on the form; `unknown` when no tab can be read and no price input is
 * shown (a market order, or a trigger order whose price the reader does not know).
 */
export type OrderType = 'limit' | 'market' | 'unknown';

/**
 * Size as the form shows it: the number and the unit picked on the size field's unit switch:
 * a coin's symbol (`BTC`), a quote currency (`USDT`, `USDC`, `USD`), `coin` (the base coin,
 * unnamed), `contracts`, or `''` when the form shows no unit.
 */
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
  /** Present when no order-type tab could be read and the type was inferred from the price input. */
  readonly typeFrom?: 'inferred';
  /** Limit price, or the page's last price for a market (or unknown) order. */
  readonly entry?: number;
  /** Where the entry came from; present with the entry. */
  readonly entryFrom?: 'limit-price' | 'last-price';
  readonly stop?: number;
  readonly takeProfit?: number;
  readonly leverage?: number;
  /**
   * The margin mode the form shows: in the leverage control's text (`Cross 20x`, `全仓 20x`) or on
   * a control of its own (`Cross`, `Isolated`); absent when the form shows none.
   */
  readonly marginMode?: MarginMode;
  readonly size?: FormSize;
  /** The unit the size field's unit switch shows, read even while the size is empty (see {@link FormSize}). */
  readonly sizeUnit?: string;
}

/** A CSS selector list tried in order; the first that matches wins. */
export type Selectors = readonly string[];

/**
 * Where one input of the form is: selectors first (shortcuts), then the input's accessible name
 * matched against the shared vocabulary (`reader/vocabulary.ts`) or `label` when given.
 */
export interface FieldLocator {
  readonly selectors: Selectors;
  /** Replaces the shared vocabulary's pattern for this field's accessible name. */
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
  /** The order form's root element: a shortcut, kept only when it holds the form's parts. */
  readonly form: Selectors;
  /** Side controls (tabs, toggles or buttons); without it, controls are found by their text. */
  readonly side?: ChoiceLocator<Side>;
  /** Order-type tabs; without one, tabs are found by their text (Limit, Market, 限价, 市价). */
  readonly orderType?: ChoiceLocator<'limit' | 'market'>;
  readonly price: FieldLocator;
  readonly size: FieldLocator;
  /** The size field's unit switch (searched inside the form); else found in the size field's box. */
  readonly sizeUnit: Selectors;
  readonly stop: FieldLocator;
  readonly takeProfit: FieldLocator;
  /** An element whose text shows the leverage (`20x`, `5x5x`); else found by its text in the form. */
  readonly leverage: Selectors;
  /** The last traded price, anywhere on the page. */
  readonly lastPrice: Selectors;
  /** The form's submit buttons (the warning must never cover them); side buttons are added by text. */
  readonly submit: Selectors;
}

/** One exchange's order-form reader. */
export interface SiteAdapter {
  readonly exchange: ExchangeId;
  readonly selectors: SiteSelectors;
  /** The order form on `doc`, or null when the page shows none. */
  findForm(doc: ParentNode): Element | null;
  /**
   * Reads the form; null when it shows neither a price nor a size input, which is when the panel
   * offers manual entry.
   */
  read(form: Element, doc: ParentNode): OrderFormReading | null;
  /** The form's input for one field, or null when it is not found. */
  field(form: Element, role: 'price' | 'size' | 'stop' | 'takeProfit'): Element | null;
  /** The input the warning sits beside: the stop field when shown, else the price or size field. */
  anchor(form: Element): Element | null;
  /** The form's submit buttons. */
  submitButtons(form: Element): Element[];
}
