/**
 * The background's side of the contract: checks who sent a message and what it holds, then
 * calls the matching handler. Independent of `chrome`/`browser` globals: the entrypoint passes
 * the runtime's sender and the extension's id in.
 */
import {
  type ErrorCode,
  type ErrorResponse,
  type Handlers,
  isMessageType,
  MAX_ERROR_MESSAGE,
  type MessageType,
  PROTOCOL_VERSION,
  REQUEST_VALIDATORS,
  type RequestOf,
  type ResponseEnvelope,
  type ResponseOf,
} from './contract';
import { describe, isPlainObject } from './validate';

/** The parts of `runtime.MessageSender` the checks read. */
export interface SenderInfo {
  /** Id of the sending extension; absent for web pages. */
  readonly id?: string;
  /** Address of the sending page or frame. */
  readonly url?: string;
  /** Origin of the sending page (Chrome). */
  readonly origin?: string;
  /** Set when the sender is a content script in a tab. */
  readonly tab?: unknown;
}

/** URL schemes of extension pages (popup, options, offscreen documents). */
const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'ms-browser-extension:'];

const ENVELOPE_KEYS = new Set(['type', 'payload', 'version']);

/**
 * Why a sender may not talk to the background, or `undefined` when it may: it must carry this
 * extension's id (other extensions and web pages do not), and a sender outside a tab must be an
 * extension page (its origin or url uses an extension scheme). Content scripts (with `tab`)
 * are accepted from any page their match patterns allowed them on.
 * @example senderProblem({ id: 'other' }, 'mine') // 'sender is not this extension'
 */
export function senderProblem(sender: SenderInfo, ownId: string): string | undefined {
  if (typeof ownId !== 'string' || ownId === '') return 'own extension id unknown';
  if (typeof sender !== 'object' || sender === null) return 'no sender';
  if (sender.id !== ownId) return 'sender is not this extension';
  if (sender.tab !== undefined && sender.tab !== null) return undefined;
  const where = typeof sender.origin === 'string' ? sender.origin : typeof sender.url === 'string' ? sender.url : '';
  if (!EXTENSION_SCHEMES.some((scheme) => where.toLowerCase().startsWith(scheme))) {
    return 'sender outside a tab is not an extension page';
  }
  return undefined;
}

/** An error response; `message` is truncated to {@link MAX_ERROR_MESSAGE} characters. */
export function errorResponse(code: ErrorCode, message: string, path?: string): ErrorResponse {
  const error = path === undefined ? { code, message: truncate(message) } : { code, message: truncate(message), path };
  return { ok: false, version: PROTOCOL_VERSION, error };
}

/**
 * Handles one incoming message: rejects foreign senders, malformed envelopes, other protocol
 * versions, unknown types and invalid payloads with a typed {@link ErrorResponse}; otherwise
 * calls the handler with the validated (freshly copied) payload and wraps its result. Never
 * throws or rejects: a failing handler becomes a `handler-failed` response.
 * @example
 * browser.runtime.onMessage.addListener((message, sender) => dispatch(message, sender, browser.runtime.id, handlers));
 * await dispatch({ type: 'ping', payload: {}, version: 1 }, { id: 'x', url: 'chrome-extension://x/popup.html' }, 'x', handlers);
 * // { ok: true, version: 1, type: 'ping', result: { pong: true, version: 1 } }
 */
export async function dispatch(
  message: unknown,
  sender: SenderInfo,
  ownId: string,
  handlers: Handlers,
): Promise<ResponseEnvelope> {
  try {
    const problem = senderProblem(sender, ownId);
    if (problem !== undefined) return errorResponse('forbidden-sender', problem);
    if (!isPlainObject(message)) return errorResponse('bad-envelope', `expected a message object, got ${describe(message)}`);
    for (const key of Object.keys(message)) {
      if (!ENVELOPE_KEYS.has(key)) return errorResponse('bad-envelope', 'unknown key', key);
    }
    if (message['version'] !== PROTOCOL_VERSION) {
      return errorResponse('unsupported-version', `expected protocol version ${PROTOCOL_VERSION}`, 'version');
    }
    const type = message['type'];
    if (typeof type !== 'string') return errorResponse('bad-envelope', `expected a string type, got ${describe(type)}`, 'type');
    if (!isMessageType(type)) return errorResponse('unknown-type', 'no such message type', 'type');
    if (!Object.hasOwn(message, 'payload')) return errorResponse('bad-envelope', 'missing', 'payload');
    return await handle(type, message['payload'], handlers);
  } catch {
    // Only reading the message can get here (handler failures are caught in handle()): a
    // structured-clone or JSON message never throws, an exotic object (a Proxy) might.
    return errorResponse('bad-envelope', 'unreadable message');
  }
}

async function handle<T extends MessageType>(type: T, payload: unknown, handlers: Handlers): Promise<ResponseEnvelope> {
  const checked = REQUEST_VALIDATORS[type](payload, 'payload');
  if (!checked.ok) return errorResponse('invalid-payload', checked.issue.reason, checked.issue.path);
  const handler = handlers[type] as unknown;
  if (typeof handler !== 'function') return errorResponse('handler-failed', `no handler for ${type}`);
  let result: ResponseOf<T>;
  try {
    result = await (handler as (req: RequestOf<T>) => Promise<ResponseOf<T>>).call(handlers, checked.value);
  } catch (error) {
    return errorResponse('handler-failed', errorText(error));
  }
  return { ok: true, version: PROTOCOL_VERSION, type, result } as ResponseEnvelope;
}

/**
 * A `runtime.onMessage` listener for Chrome's callback style (it also works where promises are
 * accepted): answers through `sendResponse` and returns `true` to keep the channel open. A
 * sender that is not one of this extension's own contexts gets nothing at all: no answer, no
 * open channel, no hint of what the background understands.
 * @example browser.runtime.onMessage.addListener(createMessageListener(browser.runtime.id, handlers));
 */
export function createMessageListener(
  ownId: string,
  handlers: Handlers,
): (message: unknown, sender: SenderInfo, sendResponse: (response: ResponseEnvelope) => void) => boolean {
  return (message, sender, sendResponse) => {
    if (senderProblem(sender, ownId) !== undefined) return false;
    void dispatch(message, sender, ownId, handlers).then((response) => {
      try {
        sendResponse(response);
      } catch {
        // The sender went away (tab closed, page navigated): nobody is left to answer.
      }
    });
    return true;
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'unknown error';
}

function truncate(text: string): string {
  return text.length <= MAX_ERROR_MESSAGE ? text : `${text.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
}
