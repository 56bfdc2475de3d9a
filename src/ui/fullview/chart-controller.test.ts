/**
 * The full view's canvas across resizes, on a stand-in canvas that records what is done to it:
 * setting a canvas's size clears it, so an unchanged size must not be set again, and a changed
 * size must be drawn at once rather than left blank until the next animation frame (a
 * background tab's frames can be held back for seconds, and the page can be read meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import { smallView } from '../../../tests/support/small-view';
import { createChartController } from './chart-controller';

installDom();

/** Animation frames queued but run only when the test says so. */
const frames: (() => void)[] = [];
const observers: (() => void)[] = [];
const scope = globalThis as Record<string, unknown>;
const saved = { raf: scope['requestAnimationFrame'], caf: scope['cancelAnimationFrame'], observer: scope['ResizeObserver'] };

beforeAll(() => {
  scope['requestAnimationFrame'] = (callback: () => void) => frames.push(callback);
  scope['cancelAnimationFrame'] = (id: number) => {
    frames[id - 1] = () => undefined;
  };
  scope['ResizeObserver'] = class {
    constructor(callback: () => void) {
      observers.push(callback);
    }
    observe(): void {}
    disconnect(): void {}
  };
});

afterAll(() => {
  scope['requestAnimationFrame'] = saved.raf;
  scope['cancelAnimationFrame'] = saved.caf;
  scope['ResizeObserver'] = saved.observer;
});

function runFrames(): void {
  for (const callback of frames.splice(0)) callback();
}

/** A canvas whose 2D context records every call, and whose size assignments are logged as clears. */
function standInCanvas() {
  const log: string[] = [];
  const parent = { clientWidth: 900, clientHeight: 500 };
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, prop) {
      if (prop in target) return target[prop];
      if (prop === 'measureText') return () => ({ width: 20 });
      if (prop === 'createLinearGradient') return () => ({ addColorStop() {} });
      return (...args: unknown[]) => void log.push(`draw:${String(prop)}:${args.length}`);
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
  let width = 300;
  let height = 150;
  const canvas = {
    parentElement: parent,
    clientWidth: 0,
    clientHeight: 0,
    style: {} as Record<string, string>,
    dataset: {} as Record<string, string>,
    tabIndex: -1,
    get width() {
      return width;
    },
    set width(value: number) {
      width = value;
      log.push('clear');
    },
    get height() {
      return height;
    },
    set height(value: number) {
      height = value;
      log.push('clear');
    },
    getContext: () => ctx,
    addEventListener() {},
  };
  return { canvas: canvas as unknown as HTMLCanvasElement, parent, log };
}

/** A controller with its first frame drawn; the log emptied. */
function drawn() {
  observers.length = 0;
  const stand = standInCanvas();
  const chart = createChartController(stand.canvas);
  chart.setView(smallView({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }));
  runFrames();
  expect(stand.canvas.dataset['drawn']).toBeDefined();
  stand.log.length = 0;
  return { ...stand, chart, resized: () => observers.forEach((observer) => observer()) };
}

describe('full view chart across resizes', () => {
  it('keeps the drawn frame when the container reports its same size again', () => {
    const { chart, log, resized } = drawn();
    resized();
    runFrames();
    expect(log).toEqual([]);
    chart.destroy();
  });

  it('draws a new size at once, without waiting for an animation frame', () => {
    const { chart, log, canvas, parent, resized } = drawn();
    delete canvas.dataset['drawn'];
    parent.clientWidth = 1200;
    resized();
    expect(canvas.width).toBe(1200);
    const lastClear = log.lastIndexOf('clear');
    expect(lastClear).toBeGreaterThanOrEqual(0);
    expect(log.slice(lastClear + 1).filter((entry) => entry.startsWith('draw:')).length).toBeGreaterThan(10);
    expect(canvas.dataset['drawn']).toBeDefined();
    expect(JSON.parse(canvas.dataset['window'] ?? 'null')).toHaveLength(4);
    chart.destroy();
  });
});
