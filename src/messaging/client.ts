/**
 * The callers' side of the contract (content script, popup): typed methods that build the
 * envelope, validate the request before sending, and check the answer's envelope. Independent
 * of `chrome`/`browser` globals: pass the runtime's `sendMessage` in.
 */
import {
  ERROR_CODES,
  type ErrorCode,
  type MessageError,
  type MessageType,
  MAX_ERROR_MESSAGE,
  PROTOCOL_VERSION,
  REQUEST_VALIDATORS,
  type RequestEnvelope,
  type RequestOf,
  type ResponseOf,
} from './contract';
import { errorResponse } from './dispatch';
import { DEFAULT_MAX_STRING, isPlainObject, number, object, oneOf, optional, string } from './validate';

/** Sends one message to the background and resolves with its answer, e.g. `browser.runtime.sendMessage`. */
export type Send = (message: RequestEnvelope) => Promise<unknown>;

export type CallResult<T extends MessageType> =
  | { readonly ok: true; readonly value: ResponseOf<T> }
  | { readonly ok: false; readonly error: MessageError };

/** Thrown (as a rejection) by the client's methods when a call fails. */
export class MessagingError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;

  constructor(error: MessageError) {
    super(error.message);
    this.name = 'MessagingError';
    this.code = error.code;
    this.path = error.path;
  }
}

/** A method's arguments: the request is optional when every field of it is. */
export type ClientArgs<T extends MessageType> =
  Record<never, never> extends RequestOf<T> ? [req?: RequestOf<T>] : [req: RequestOf<T>];

/** One method per message; each resolves with the handler's result or rejects with a {@link MessagingError}. */
export type ClientMethods = { readonly [T in MessageType]: (...args: ClientArgs<T>) => Promise<ResponseOf<T>> };

export interface Client extends ClientMethods {
  /** Sends message `type`; never rejects: failures come back as `{ ok: false, error }`. */
  readonly call: <T extends MessageType>(type: T, payload: RequestOf<T>) => Promise<CallResult<T>>;
}

const messageError = object<MessageError>({
  code: oneOf(ERROR_CODES),
  message: string({ max: MAX_ERROR_MESSAGE }),
  path: optional(string({ max: DEFAULT_MAX_STRING })),
});
const anyVersion = number({ min: 1, integer: true });

/**
 * Checks an answer's envelope: an ok answer to message `type` in this protocol version, or an
 * error answer (of any version, so a version mismatch is reported as what it is). The result's
 * own shape is trusted: it comes from this extension's background, which checked the sender.
 * @example readResponse('ping', { ok: true, version: 1, type: 'ping', result: { pong: true, version: 1 } })
 * // { ok: true, value: { pong: true, version: 1 } }
 */
export function readResponse<T extends MessageType>(type: T, response: unknown): CallResult<T> {
  const bad = (message: string, path?: string): CallResult<T> => ({
    ok: false,
    error: errorResponse('bad-response', message, path).error,
  });
  if (!isPlainObject(response)) return bad(response === undefined ? 'no answer' : 'answer is not an object');
  const keys = Object.keys(response);
  if (response['ok'] === true) {
    if (keys.length !== 4 || !['ok', 'version', 'type', 'result'].every((key) => Object.hasOwn(response, key))) {
      return bad('answer has unexpected keys');
    }
    if (response['version'] !== PROTOCOL_VERSION) return bad(`expected protocol version ${PROTOCOL_VERSION}`, 'version');
    if (response['type'] !== type) return bad(`answer is for another message type`, 'type');
    return { ok: true, value: response['result'] as ResponseOf<T> };
  }
  if (response['ok'] === false) {
    if (keys.length !== 3 || !['ok', 'version', 'error'].every((key) => Object.hasOwn(response, key))) {
      return bad('answer has unexpected keys');
    }
    if (!anyVersion(response['version'], 'version').ok) return bad('version is not a protocol version', 'version');
    const error = messageError(response['error'], 'error');
    if (!error.ok) return bad(`error ${error.issue.reason}`, error.issue.path);
    return { ok: false, error: error.value };
  }
  return bad('answer has no ok flag', 'ok');
}

/**
 * A typed client over `send`.
 * @example
 * const client = createClient((message) => browser.runtime.sendMessage(message));
 * const view = await client.getEstimate({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' });
 * const status = await client.call('getStatus', {}); // { ok: true, value } | { ok: false, error }
 */
export function createClient(send: Send): Client {
  async function call<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<CallResult<T>> {
    const checked = REQUEST_VALIDATORS[type](payload, 'payload');
    if (!checked.ok) {
      return { ok: false, error: errorResponse('invalid-payload', checked.issue.reason, checked.issue.path).error };
    }
    const envelope = { type, payload: checked.value, version: PROTOCOL_VERSION } as RequestEnvelope;
    let response: unknown;
    try {
      response = await send(envelope);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'sending failed';
      return { ok: false, error: errorResponse('transport-failed', message).error };
    }
    return readResponse(type, response);
  }

  function method<T extends MessageType>(type: T): (...args: ClientArgs<T>) => Promise<ResponseOf<T>> {
    return (...args) => {
      const payload = (args[0] ?? {}) as RequestOf<T>;
      return call(type, payload).then((result) => {
        if (!result.ok) throw new MessagingError(result.error);
        return result.value;
      });
    };
  }

  return {
    call,
    getEstimate: method('getEstimate'),
    getStatus: method('getStatus'),
    assessOrder: method('assessOrder'),
    listMarkets: method('listMarkets'),
    prepareEstimate: method('prepareEstimate'),
    ping: method('ping'),
    openFullView: method('openFullView'),
  };
}
