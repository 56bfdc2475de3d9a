/**
 * An exchange's own error answer (code and message) raised inside a replay handler, and the
 * integer query parameters every replayed API reads (digits only, else that exchange's error).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

/** Parameter `name` as an integer, `undefined` when absent or empty; `invalid(name)` when not digits. */
export function intParam(q: URLSearchParams, name: string, invalid: (name: string) => ApiError): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,20}$/.test(raw)) throw invalid(name);
  return Number(raw);
}
