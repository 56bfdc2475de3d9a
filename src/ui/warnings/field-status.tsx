/**
 * Which fields of the order form LiqLens reads right now, so a trader knows whether the warnings
 * are live: price, stop, take-profit, size, leverage (with the margin mode where the form shows
 * one), side and order type, each read or not, and
 * for the four inputs a "Point to the field" when it is not read.
 */
import { useEffect, useState } from 'preact/hooks';
import type { OrderFormReading } from '../../sites/types';
import type { TaughtField } from '../../sites/user-fields/locator';
import { taughtOf, typeInferred } from '../../sites/user-fields/with-taught-fields';
import { fmtPrice } from '../format';

export type StatusField = TaughtField | 'leverage' | 'side' | 'orderType';

export interface FieldStatus {
  readonly field: StatusField;
  readonly label: string;
  readonly read: boolean;
  /** What was read (`64,000`, `20x cross`, `long, from the stop`), or why not. */
  readonly detail: string;
  /** The value came from a field the user pointed to. */
  readonly taught: boolean;
}

const LABELS: Readonly<Record<StatusField, string>> = {
  price: 'Price',
  stop: 'Stop',
  takeProfit: 'Take-profit',
  size: 'Size',
  leverage: 'Leverage',
  side: 'Side',
  orderType: 'Order type',
};

/** The fields a user can point to (inputs); side, order type and leverage are not inputs. */
export function isPickable(field: StatusField): field is TaughtField {
  return field === 'price' || field === 'stop' || field === 'takeProfit' || field === 'size';
}

function status(field: StatusField, value: string | undefined, taught: readonly TaughtField[]): FieldStatus {
  return {
    field,
    label: LABELS[field],
    read: value !== undefined,
    detail: value ?? 'not read',
    taught: isPickable(field) && taught.includes(field),
  };
}

/**
 * The status of each field for a reading (null: no form read). Read means the reading holds it;
 * an input left empty shows as not read, as the check cannot use it either.
 * @example fieldStatuses(null).every((s) => !s.read) // true
 */
export function fieldStatuses(reading: OrderFormReading | null): readonly FieldStatus[] {
  const taught = taughtOf(reading);
  const r = reading;
  // The reader may report an order type it could not read ('unknown'): only limit and market count.
  const type = r && (r.type === 'limit' || r.type === 'market') ? r.type : undefined;
  const price = r?.entry !== undefined ? (r.entryFrom === 'last-price' ? `${fmtPrice(r.entry)} (last price)` : fmtPrice(r.entry)) : undefined;
  const side = r?.side !== undefined ? (r.sideFrom === 'levels' ? `${r.side} (from stop / take-profit)` : r.side) : undefined;
  return [
    status('price', price, taught),
    status('stop', r?.stop !== undefined ? fmtPrice(r.stop) : undefined, taught),
    status('takeProfit', r?.takeProfit !== undefined ? fmtPrice(r.takeProfit) : undefined, taught),
    status('size', r?.size !== undefined ? `${r.size.amount} ${r.size.unit}`.trim() : undefined, taught),
    status('leverage', r?.leverage !== undefined ? `${r.leverage}x${r.marginMode !== undefined ? ` ${r.marginMode}` : ''}` : undefined, taught),
    status('side', side, taught),
    status('orderType', type !== undefined && typeInferred(r) ? `${type} (a price field is shown)` : type, taught),
  ];
}

/** True when the check can run on the form's own order: the side and an entry (or a market order) are read. */
export function isLive(reading: OrderFormReading | null): boolean {
  return reading !== null && reading.side !== undefined && (reading.entry !== undefined || reading.type === 'market');
}

export interface FieldStatusListProps {
  readonly reading: OrderFormReading | null;
  /** Fields the user taught for this site (a pick is stored even while its input is empty or absent). */
  readonly stored: readonly TaughtField[];
  /** The field being picked on the page, if any. */
  readonly picking?: TaughtField | undefined;
  readonly onPick?: ((field: TaughtField) => void) | undefined;
  readonly onForget?: (() => void) | undefined;
}

/** The read / not-read list, with "Point to the field" and "Forget". */
export function FieldStatusList({ reading, stored, picking, onPick, onForget }: FieldStatusListProps) {
  const [choosing, setChoosing] = useState(false);
  // Once picking starts the choice is made: after it (picked or cancelled) the list is compact again.
  useEffect(() => {
    if (picking !== undefined) setChoosing(false);
  }, [picking]);
  const statuses = fieldStatuses(reading);
  const live = isLive(reading);
  const unread = statuses.filter((s) => !s.read && isPickable(s.field)).map((s) => s.field as TaughtField);
  const canPoint = onPick !== undefined && unread.length > 0;
  return (
    <div class="fields" data-live={live ? 'true' : 'false'}>
      <ul aria-label="Fields read from the order form">
        <li class={live ? 'live' : 'not-live'} title={live ? 'The side and the entry are read: warnings follow the order as it is typed.' : 'The side or the entry is not read from the form: the check waits.'}>
          {live ? 'Warnings live' : 'Warnings not live'}
        </li>
        {statuses.map((s) => (
          <li key={s.field} class={s.read ? 'read' : 'unread'} data-field={s.field} data-read={s.read ? 'true' : 'false'} title={s.read ? `${s.label}: read` : `${s.label}: not read`}>
            <span class="mark" aria-hidden="true">{s.read ? '✓' : '–'}</span>
            <span class="name">{s.label}</span>
            <span class="value">{s.read ? s.detail : <span class="sr">not read</span>}</span>
            {s.taught || (isPickable(s.field) && stored.includes(s.field)) ? <span class="taught" title="Found by the field you pointed to">picked</span> : null}
          </li>
        ))}
        {canPoint && !choosing && picking === undefined ? (
          <li>
            <button type="button" class="point-open" onClick={() => setChoosing(true)}>
              Point to a field…
            </button>
          </li>
        ) : null}
      </ul>
      {canPoint && picking !== undefined ? (
        <p class="picking" role="status">
          Click the {LABELS[picking]} field on the page · Esc cancels
        </p>
      ) : null}
      {canPoint && choosing && picking === undefined ? (
        <p class="point-row">
          Point to the field:{' '}
          {unread.map((field) => (
            <button key={field} type="button" class="point" data-pick={field} onClick={() => onPick(field)}>
              {LABELS[field]}
            </button>
          ))}{' '}
          <button type="button" class="point-close" aria-label="Close" onClick={() => setChoosing(false)}>
            ×
          </button>
        </p>
      ) : null}
      {stored.length > 0 && onForget ? (
        <p class="muted">
          Fields you pointed to on this site: {stored.map((f) => LABELS[f]).join(', ')}.{' '}
          <button type="button" class="forget" onClick={onForget}>
            Forget
          </button>
        </p>
      ) : null}
    </div>
  );
}
