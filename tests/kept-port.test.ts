/** The kept port: first message per connection, keepalive, reconnect with a doubling pause, abort. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KeptPort, keepPortOpen } from '../src/messaging/kept-port';

class FakePort implements KeptPort {
  readonly name = 'test';
  readonly sent: unknown[] = [];
  disconnected = false;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  readonly onMessage = { addListener: (l: (message: unknown) => void) => void this.messageListeners.push(l) };
  readonly onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('disconnected');
    this.sent.push(message);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  receive(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  drop(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }
}

describe('keepPortOpen', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function start(valid = (raw: unknown) => raw === 'ok') {
    const ports: FakePort[] = [];
    const received: unknown[] = [];
    const controller = new AbortController();
    keepPortOpen({
      connect: () => {
        const port = new FakePort();
        ports.push(port);
        return port;
      },
      signal: controller.signal,
      hello: 'hello',
      keepalive: 'still here',
      keepaliveMs: 1_000,
      reconnectMs: 100,
      onMessage: (raw) => {
        received.push(raw);
        return valid(raw);
      },
      onError: () => undefined,
    });
    return { ports, received, controller };
  }

  it('says hello on every connection and keeps the connection alive', () => {
    const { ports } = start();
    expect(ports[0]!.sent).toEqual(['hello']);
    vi.advanceTimersByTime(2_500);
    expect(ports[0]!.sent).toEqual(['hello', 'still here', 'still here']);
  });

  it('reconnects after a drop with a pause that doubles, and a valid message sets it back', () => {
    const { ports } = start();
    ports[0]!.drop();
    vi.advanceTimersByTime(99);
    expect(ports).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ports).toHaveLength(2);
    expect(ports[1]!.sent).toEqual(['hello']);
    ports[1]!.drop();
    vi.advanceTimersByTime(199);
    expect(ports).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(ports).toHaveLength(3);
    ports[2]!.receive('ok');
    ports[2]!.drop();
    vi.advanceTimersByTime(100);
    expect(ports).toHaveLength(4);
  });

  it('ignores messages of a replaced connection and disconnects once on abort, without reconnecting', () => {
    const { ports, received, controller } = start();
    ports[0]!.drop();
    vi.advanceTimersByTime(100);
    ports[0]!.receive('late');
    ports[1]!.receive('ok');
    expect(received).toEqual(['ok']);
    controller.abort();
    expect(ports[1]!.disconnected).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(ports).toHaveLength(2);
    expect(ports[1]!.sent).toEqual(['hello']);
  });
});
