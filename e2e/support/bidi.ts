/**
 * A small WebDriver BiDi client (https://w3c.github.io/webdriver-bidi/) for driving a stock
 * Firefox: commands with typed answers for the few modules the browser tests use, and script
 * results passed back as JSON.
 */
import WebSocket from 'ws';

/** Commands used here and what they return. */
interface Commands {
  'session.new': { params: { capabilities: { alwaysMatch?: Record<string, unknown> } }; result: { sessionId: string } };
  'browser.close': { params: Record<string, never>; result: Record<string, never> };
  'webExtension.install': {
    params: { extensionData: { type: 'path'; path: string } };
    result: { extension: string };
  };
  'browsingContext.getTree': { params: { maxDepth?: number }; result: { contexts: { context: string; url: string }[] } };
  'browsingContext.create': { params: { type: 'tab'; background?: boolean }; result: { context: string } };
  'browsingContext.navigate': {
    params: { context: string; url: string; wait?: 'none' | 'interactive' | 'complete' };
    result: { navigation: string | null; url: string };
  };
  'input.performActions': {
    params: { context: string; actions: { type: 'key'; id: string; actions: ({ type: 'keyDown' | 'keyUp'; value: string } | { type: 'pause'; duration: number })[] }[] };
    result: Record<string, never>;
  };
  'script.evaluate': {
    params: { expression: string; target: { context: string }; awaitPromise: boolean; resultOwnership?: 'root' | 'none' };
    result: EvaluateResult;
  };
}

type EvaluateResult =
  | { type: 'success'; result: { type: string; value?: unknown } }
  | { type: 'exception'; exceptionDetails: { text: string; lineNumber: number; columnNumber: number } };

type BidiCommand = keyof Commands;

interface Pending {
  readonly method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

class BidiError extends Error {
  constructor(method: string, error: string, message: string) {
    super(`${method}: ${error}: ${message}`);
    this.name = 'BidiError';
  }
}

export class BidiConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly commandTimeoutMs: number,
  ) {
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => {
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${p.method}: the BiDi connection closed`));
        this.pending.delete(id);
      }
    });
  }

  /** Connects to `ws://host:port/session`; `commandTimeoutMs` bounds every command's answer. */
  static async connect(url: string, commandTimeoutMs = 30_000): Promise<BidiConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new BidiConnection(socket, commandTimeoutMs);
  }

  send<M extends BidiCommand>(method: M, params: Commands[M]['params']): Promise<Commands[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${this.commandTimeoutMs} ms`));
      }, this.commandTimeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Evaluates `expression` (awaited when it is a promise) in a browsing context and returns its
   * value passed through JSON, so any plain data comes back as it was.
   */
  async evaluateJson<T>(context: string, expression: string): Promise<T> {
    const answer = await this.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    if (answer.type === 'exception') throw new Error(`script failed in ${context}: ${answer.exceptionDetails.text}`);
    const { value } = answer.result;
    if (typeof value !== 'string') throw new Error(`script in ${context} returned no JSON (${answer.result.type})`);
    return JSON.parse(value) as T;
  }

  /** Types `text` into the focused element as key presses (`\uE007` is Enter). */
  async type(context: string, text: string): Promise<void> {
    const actions = [...text].flatMap((value) => [
      { type: 'keyDown' as const, value },
      { type: 'keyUp' as const, value },
    ]);
    await this.send('input.performActions', { context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as
      | { type: 'success'; id: number; result: unknown }
      | { type: 'error'; id: number | null; error: string; message: string }
      | { type: 'event'; method: string; params: unknown };
    // No events are subscribed to; any that come are not answers.
    if (message.type === 'event' || message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'success') pending.resolve(message.result);
    else pending.reject(new BidiError(pending.method, message.error, message.message));
  }
}
