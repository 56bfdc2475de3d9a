/** How the panel words loading, failures and the age of what it shows. */
import { groupThousands } from '../format';

export type FailureKind = 'unsupported' | 'offline' | 'other';

/**
 * What kind of failure a message from the background reports: a market the exchange does not
 * list (or has too little history for), the exchange or the background out of reach, or other.
 * @example failureKind("binance: no supported perpetual market 'FOOUSDT'") // 'unsupported'
 */
export function failureKind(message: string): FailureKind {
  if (/no supported perpetual market|unknown-symbol|not enough history|no \w+ bars in the last/i.test(message)) return 'unsupported';
  if (
    /rate.?limit|429|418|timed? ?out|network|fetch|offline|unreachable|could not be reached|transport|disconnected|circuit|unavailable|blocked requests|did not answer|asked to wait|limiting requests/i.test(
      message,
    )
  ) {
    return 'offline';
  }
  return 'other';
}

/**
 * An age in words: `40 s`, `12 min`, `3 h`, `2 d`.
 * @example fmtAge(5_400_000) // '1 h 30 min'
 */
export function fmtAge(ms: number): string {
  if (!(ms >= 0) || !Number.isFinite(ms)) return 'unknown';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 || h >= 10 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * `3 of 8 requests`, for the loading line (`unit` `bars` for its secondary figure).
 * @example fmtProgress(3, 8) // '3 of 8 requests'
 */
export function fmtProgress(done: number, total: number, unit: 'requests' | 'bars' = 'requests'): string {
  const n = (x: number) => groupThousands(Math.max(0, Math.round(x)));
  const noun = unit === 'requests' && Math.round(total) === 1 ? 'request' : unit;
  return `${n(done)} of ${n(total)} ${noun}`;
}

/**
 * The note saying the local cache is not working (full disk, blocked upgrade, damaged record), if
 * any: the data layer then runs network-only, and the panel says so.
 * @example storageNotice(['the series cache is unavailable (...)']) // 'the series cache is unavailable (...)'
 */
export function storageNotice(notes: readonly string[] | undefined): string | undefined {
  return notes?.find((note) => /\bcach(e|ed)\b/i.test(note));
}
