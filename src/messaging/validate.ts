/**
 * Small hand-written runtime validators for data crossing the extension's message boundary.
 * Strict by design: plain data objects only, unknown keys rejected, numbers finite, strings
 * bounded. A validator never throws and returns a fresh copy, so nothing of the input object
 * (its prototype, getters, extra keys) survives into the handler.
 */

/** Where in the input a value failed, and why. */
export interface Issue {
  /** Dotted path from the validated root: `payload.order.entry`. */
  readonly path: string;
  readonly reason: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: Issue };

/** Validates `value` (found at `path`) and returns a clean copy or the first issue. */
export type Check<T> = (value: unknown, path: string) => Checked<T>;

/** Marks an object field as optional: absent or `undefined` is accepted and left out of the copy. */
export interface OptionalField<T> {
  readonly optional: Check<T>;
}

type OptionalKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? K : never }[keyof T];

/** One validator per key of `T`; optional keys of `T` take an {@link OptionalField}. */
export type Fields<T> = {
  readonly [K in keyof T]-?: K extends OptionalKeys<T> ? OptionalField<Exclude<T[K], undefined>> : Check<T[K]>;
};

/** Longest string any validator accepts unless told otherwise. */
export const DEFAULT_MAX_STRING = 256;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (path: string, reason: string): { readonly ok: false; readonly issue: Issue } => ({
  ok: false,
  issue: { path, reason },
});

/** A short, safe description of a value's type for issue messages (never echoes the value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/**
 * True for plain data objects: prototype `Object.prototype` (of any realm) or `null`, no symbol
 * keys, no accessors. Objects with a swapped prototype (`{ __proto__: {...} }`) are not plain.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor)) return false;
  }
  return true;
}

/**
 * A string of bounded length, optionally matching a pattern.
 * @example string({ max: 40, pattern: /^[A-Z0-9-]+$/ })('BTC-USDT-SWAP', 'symbol') // { ok: true, value: 'BTC-USDT-SWAP' }
 */
export function string(options: { readonly min?: number; readonly max?: number; readonly pattern?: RegExp } = {}): Check<string> {
  const min = options.min ?? 0;
  const max = options.max ?? DEFAULT_MAX_STRING;
  return (value, path) => {
    if (typeof value !== 'string') return fail(path, `expected a string, got ${describe(value)}`);
    if (value.length < min) return fail(path, `shorter than ${min} characters`);
    if (value.length > max) return fail(path, `longer than ${max} characters`);
    if (options.pattern && !options.pattern.test(value)) return fail(path, 'has an unexpected format');
    return ok(value);
  };
}

/**
 * A finite number within bounds (inclusive unless `exclusiveMin`), optionally an integer.
 * @example number({ min: 0, exclusiveMin: true })(Number.NaN, 'entry').ok // false
 */
export function number(
  options: { readonly min?: number; readonly max?: number; readonly exclusiveMin?: boolean; readonly integer?: boolean } = {},
): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number') return fail(path, `expected a number, got ${describe(value)}`);
    if (!Number.isFinite(value)) return fail(path, `expected a finite number, got ${describe(value)}`);
    if (options.integer && !Number.isInteger(value)) return fail(path, 'expected an integer');
    if (options.min !== undefined) {
      if (options.exclusiveMin ? value <= options.min : value < options.min) {
        return fail(path, `must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${options.min}`);
      }
    }
    if (options.max !== undefined && value > options.max) return fail(path, `must be at most ${options.max}`);
    return ok(value);
  };
}

/**
 * One of a fixed set of string literals.
 * @example oneOf(['long', 'short'] as const)('long', 'side') // { ok: true, value: 'long' }
 */
export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return (value, path) => {
    if (typeof value !== 'string') return fail(path, `expected a string, got ${describe(value)}`);
    for (const allowed of values) if (allowed === value) return ok(allowed);
    return fail(path, `expected one of ${values.join(', ')}`);
  };
}

/**
 * A boolean (no truthy strings or numbers).
 * @example boolean()(true, 'aggregate') // { ok: true, value: true }
 */
export function boolean(): Check<boolean> {
  return (value, path) => (typeof value === 'boolean' ? ok(value) : fail(path, `expected a boolean, got ${describe(value)}`));
}

/**
 * An array of bounded length whose items all pass `item`; `unique` rejects repeated items.
 * @example arrayOf(number(), { max: 3 })([1, 2], 'xs') // { ok: true, value: [1, 2] }
 */
export function arrayOf<T>(item: Check<T>, options: { readonly min?: number; readonly max: number; readonly unique?: boolean }): Check<readonly T[]> {
  const min = options.min ?? 0;
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, `expected an array, got ${describe(value)}`);
    if (value.length < min) return fail(path, `fewer than ${min} items`);
    if (value.length > options.max) return fail(path, `more than ${options.max} items`);
    const copy: T[] = [];
    for (let i = 0; i < value.length; i++) {
      // Holes and accessors never reach `item`: only own data values are read.
      const descriptor = Object.getOwnPropertyDescriptor(value, i);
      if (!descriptor || !('value' in descriptor)) return fail(`${path}.${i}`, 'missing');
      const checked = item(descriptor.value, `${path}.${i}`);
      if (!checked.ok) return checked;
      if (options.unique && copy.includes(checked.value)) return fail(`${path}.${i}`, 'repeats an earlier item');
      copy.push(checked.value);
    }
    return ok(copy);
  };
}

/** Wraps a validator for an optional object field. */
export function optional<T>(check: Check<T>): OptionalField<T> {
  return { optional: check };
}

/**
 * A plain object with exactly the given keys (optional ones may be absent); any other key,
 * `__proto__` included, is rejected. Returns a fresh object holding only the validated fields.
 * @example
 * const point = object<{ x: number; label?: string }>({ x: number(), label: optional(string()) });
 * point({ x: 1 }, 'p')          // { ok: true, value: { x: 1 } }
 * point({ x: 1, y: 2 }, 'p').ok // false: unknown key y
 */
export function object<T>(fields: Fields<T>): Check<T> {
  const table = fields as Readonly<Record<string, Check<unknown> | OptionalField<unknown>>>;
  const keys = Object.keys(table);
  return (value, path) => {
    if (!isPlainObject(value)) return fail(path, `expected a plain object, got ${describe(value)}`);
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(table, key)) return fail(join(path, key), 'unknown key');
    }
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const field = table[key];
      if (field === undefined) continue;
      const present = Object.hasOwn(value, key) && value[key] !== undefined;
      if (typeof field === 'function') {
        if (!present) return fail(join(path, key), 'missing');
        const checked = field(value[key], join(path, key));
        if (!checked.ok) return checked;
        copy[key] = checked.value;
      } else if (present) {
        const checked = field.optional(value[key], join(path, key));
        if (!checked.ok) return checked;
        copy[key] = checked.value;
      }
    }
    return ok(copy as T);
  };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
