/**
 * The full view's interactive chart on one canvas: wheel zoom (both axes; Shift: price only,
 * Alt: time only; over the price axis or the map: price only), drag pan, double-click to see
 * everything, the same from the keyboard (arrows, + and −, 0), and the crosshair with its readout. The window lives here, not in Preact state:
 * a pointer move schedules one frame (requestAnimationFrame) and nothing else re-renders.
 * Each frame draws the cached heat raster through the window (draw.ts), so its cost does not
 * depend on how many cells the heatmap has.
 */
import type { EstimateView } from '../../messaging/contract';
import type { HeatScale } from '../../render/color-scale';
import type { LevelInput } from '../../render/real-levels';
import { sameHeatmapView } from '../same-heatmap';
import { drawFrame, FRAME_PALETTES, type FrameLayout, frameLayout, type HeatLayer } from './draw';
import { buildHeatLayer } from './heat-layer';
import { type Readout, readoutAt } from './readout';
import { clampWindow, panBy, priceAt, timeAt, type Window, wheelFactor, type ZoomAxes, zoomAt } from './viewport';

export interface ChartController {
  /** Shows a (new or live-updated) estimate; the window stays where the user put it. */
  setView(view: EstimateView): void;
  setTheme(theme: 'dark' | 'light'): void;
  /** The contrast control's scale: a change builds the heat raster again (never per frame). */
  setScale(scale: HeatScale): void;
  /** Real Hyperliquid liquidation levels of the coin, marked on the price axis (none: no marks). */
  setRealLevels(levels: readonly LevelInput[] | undefined): void;
  /** Back to the whole heatmap. */
  reset(): void;
  destroy(): void;
}

export interface ChartOptions {
  /** Told of the readout under the pointer (undefined when it leaves), at most once a frame. */
  readonly onReadout?: (readout: Readout | undefined, at: { x: number; y: number; overMap: boolean } | undefined) => void;
}

/** The name of the User Timing measure of each frame's drawing (read by the pan benchmark). */
export const FRAME_MEASURE = 'liqlens-fullview-frame';

/** The heatmap's extent: what its heat raster covers. */
function heatDomainOf(view: EstimateView): Window {
  const h = view.heatmap;
  return { t0: h.firstTimestamp, t1: h.firstTimestamp + Math.max(1, h.columns) * h.columnMs, p0: h.priceLow, p1: h.priceHigh };
}

/** What the window may show: the heatmap and every pool the estimate lists (with a margin). */
export function domainOf(view: EstimateView): Window {
  const heat = heatDomainOf(view);
  let p0 = heat.p0;
  let p1 = heat.p1;
  for (const pool of view.pools) {
    p0 = Math.min(p0, pool.priceLow);
    p1 = Math.max(p1, pool.priceHigh);
  }
  const margin = p0 < heat.p0 || p1 > heat.p1 ? (p1 - p0) * 0.02 : 0;
  return { ...heat, p0: p0 < heat.p0 ? p0 - margin : p0, p1: p1 > heat.p1 ? p1 + margin : p1 };
}

const sameScale = (a: HeatScale | undefined, b: HeatScale | undefined): boolean => a?.threshold === b?.threshold && a?.topUsd === b?.topUsd;

/**
 * Attaches the chart to `canvas` (sized to its parent, device pixels).
 * @example const chart = createChartController(canvas, { onReadout }); chart.setView(view);
 */
export function createChartController(canvas: HTMLCanvasElement, options: ChartOptions = {}): ChartController {
  const ctx = canvas.getContext('2d', { alpha: false, desynchronized: true });
  const controller = new AbortController();
  const { signal } = controller;
  let view: EstimateView | undefined;
  let theme: 'dark' | 'light' = 'dark';
  let scale: HeatScale | undefined;
  let realLevels: readonly LevelInput[] | undefined;
  /** The heat raster and the domain it covers (kept together: an older raster draws its own domain). */
  let heat: { layer: HeatLayer; domain: Window; heatmap: EstimateView['heatmap']; theme: 'dark' | 'light'; scale: HeatScale | undefined } | undefined;
  let stopBuild: (() => void) | undefined;
  let domain: Window | undefined;
  let win: Window | undefined;
  let layout: FrameLayout = frameLayout(canvas.clientWidth || 800, canvas.clientHeight || 500);
  let crosshair: { x: number; y: number } | undefined;
  let frame: number | undefined;
  let drag: { x: number; y: number; id: number } | undefined;

  const schedule = (): void => {
    frame ??= requestAnimationFrame(() => {
      frame = undefined;
      draw();
    });
  };

  const draw = (): void => {
    if (!ctx || !view || !win || !domain) return;
    const started = performance.now();
    const ratio = canvas.width / layout.width;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const { labels, markers, real } = drawFrame(ctx, {
      view,
      heat: heat?.layer,
      domain,
      heatDomain: heat?.domain ?? heatDomainOf(view),
      window: win,
      layout,
      palette: FRAME_PALETTES[theme],
      ...(crosshair ? { crosshair } : {}),
      ...(realLevels ? { realLevels } : {}),
    });
    performance.measure(FRAME_MEASURE, { start: started, end: performance.now() });
    canvas.dataset['window'] = JSON.stringify([win.t0, win.t1, win.p0, win.p1]);
    canvas.dataset['poolLabels'] = JSON.stringify(labels.map((l) => [l.side, l.text]));
    canvas.dataset['heat'] = heat ? 'ready' : 'building';
    canvas.dataset['markers'] = String(markers);
    canvas.dataset['realized'] = String(view.realized?.length ?? 0);
    canvas.dataset['realMarks'] = String(real.marks);
    canvas.dataset['realLevels'] = String(real.levels);
    canvas.dataset['threshold'] = String(heat?.scale?.threshold ?? '');
    canvas.dataset['drawn'] = String(Date.now());
    if (drag && options.onReadout) {
      // No readout while dragging: the tooltip would only follow the hand, at a layout per frame.
      options.onReadout(undefined, undefined);
    } else if (crosshair && options.onReadout) {
      const overMap = crosshair.x >= layout.side.x;
      const overPlot = crosshair.x >= layout.plot.x && crosshair.x < layout.plot.x + layout.plot.width;
      const inRows = crosshair.y >= layout.plot.y && crosshair.y <= layout.plot.y + layout.plot.height;
      if (inRows && (overPlot || overMap)) {
        const price = priceAt(win, layout.plot, crosshair.y);
        const time = overPlot ? timeAt(win, layout.plot, crosshair.x) : undefined;
        options.onReadout(readoutAt(view, price, time), { ...crosshair, overMap });
      } else options.onReadout(undefined, undefined);
    }
  };

  const rebuildHeat = (): void => {
    if (!view) return;
    if (heat && heat.theme === theme && sameScale(heat.scale, scale) && sameHeatmapView(heat.heatmap, view.heatmap)) return;
    stopBuild?.();
    const heatmap = view.heatmap;
    const built = heatDomainOf(view);
    const forTheme = theme;
    const forScale = scale;
    stopBuild = buildHeatLayer(heatmap, forTheme, forScale, (layer) => {
      stopBuild = undefined;
      heat = { layer, domain: built, heatmap, theme: forTheme, scale: forScale };
      schedule();
    });
  };

  const resize = (): void => {
    const parent = canvas.parentElement;
    const width = Math.max(200, Math.floor(parent?.clientWidth || canvas.clientWidth || 800));
    const height = Math.max(200, Math.floor(parent?.clientHeight || canvas.clientHeight || 500));
    const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    const pixels = { width: Math.round(width * ratio), height: Math.round(height * ratio) };
    // Setting a canvas's size clears it, even to the same size: an unchanged size keeps the frame.
    if (pixels.width === canvas.width && pixels.height === canvas.height && width === layout.width && height === layout.height) return;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = pixels.width;
    canvas.height = pixels.height;
    layout = frameLayout(width, height);
    // Drawn now, not at the next frame: a cleared canvas must never be what is shown or read
    // (a background tab's frames can be held back for seconds).
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
    draw();
  };

  const local = (event: MouseEvent): { x: number; y: number } => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  canvas.addEventListener(
    'wheel',
    (event) => {
      if (!win || !domain) return;
      event.preventDefault();
      const at = local(event);
      const overAxis = at.x >= layout.axis.x;
      const axes: ZoomAxes = overAxis || event.shiftKey ? 'price' : event.altKey ? 'time' : 'both';
      win = zoomAt(win, domain, layout.plot, Math.min(at.x, layout.plot.x + layout.plot.width), at.y, wheelFactor(event.deltaY, event.deltaMode), axes);
      schedule();
    },
    { passive: false, signal },
  );
  canvas.addEventListener(
    'pointerdown',
    (event) => {
      if (event.button !== 0) return;
      const at = local(event);
      drag = { ...at, id: event.pointerId };
      canvas.setPointerCapture?.(event.pointerId);
      canvas.dataset['dragging'] = 'true';
    },
    { signal },
  );
  canvas.addEventListener(
    'pointermove',
    (event) => {
      const at = local(event);
      if (drag && drag.id === event.pointerId && win && domain) {
        win = panBy(win, domain, layout.plot, at.x - drag.x, at.y - drag.y);
        drag = { ...at, id: drag.id };
      }
      crosshair = at;
      schedule();
    },
    { signal },
  );
  const endDrag = (event: PointerEvent): void => {
    if (drag?.id !== event.pointerId) return;
    drag = undefined;
    delete canvas.dataset['dragging'];
  };
  canvas.addEventListener('pointerup', endDrag, { signal });
  canvas.addEventListener('pointercancel', endDrag, { signal });
  canvas.addEventListener(
    'pointerleave',
    () => {
      crosshair = undefined;
      options.onReadout?.(undefined, undefined);
      schedule();
    },
    { signal },
  );
  canvas.addEventListener('dblclick', () => reset(), { signal });
  // The keyboard: arrows pan by a tenth of the window, + and − zoom around the centre, 0 resets.
  canvas.tabIndex = 0;
  canvas.addEventListener(
    'keydown',
    (event) => {
      if (!win || !domain) return;
      const { plot } = layout;
      const step = { x: plot.width / 10, y: plot.height / 10 };
      const moves: Record<string, [number, number]> = { ArrowLeft: [step.x, 0], ArrowRight: [-step.x, 0], ArrowUp: [0, step.y], ArrowDown: [0, -step.y] };
      const move = moves[event.key];
      if (move) win = panBy(win, domain, plot, move[0], move[1]);
      else if (event.key === '+' || event.key === '=') win = zoomAt(win, domain, plot, plot.x + plot.width / 2, plot.y + plot.height / 2, 0.8);
      else if (event.key === '-' || event.key === '_') win = zoomAt(win, domain, plot, plot.x + plot.width / 2, plot.y + plot.height / 2, 1.25);
      else if (event.key === '0') win = domain;
      else return;
      event.preventDefault();
      schedule();
    },
    { signal },
  );
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => resize()) : undefined;
  if (canvas.parentElement) observer?.observe(canvas.parentElement);
  else globalThis.addEventListener?.('resize', resize, { signal });
  resize();

  function reset(): void {
    if (!domain) return;
    win = domain;
    schedule();
  }

  return {
    setView(next) {
      const nextDomain = domainOf(next);
      if (!win || !domain) win = nextDomain;
      else {
        // A window that reached the latest bar keeps following it as bars arrive.
        const following = win.t1 >= domain.t1 - 1;
        const shift = following ? nextDomain.t1 - win.t1 : 0;
        win = clampWindow({ ...win, t0: win.t0 + shift, t1: win.t1 + shift }, nextDomain);
      }
      domain = nextDomain;
      view = next;
      rebuildHeat();
      schedule();
    },
    setTheme(next) {
      if (next === theme) return;
      theme = next;
      rebuildHeat();
      schedule();
    },
    setScale(next) {
      if (sameScale(next, scale)) return;
      scale = next;
      rebuildHeat();
    },
    setRealLevels(next) {
      if (next === realLevels) return;
      realLevels = next;
      schedule();
    },
    reset,
    destroy() {
      controller.abort();
      observer?.disconnect();
      stopBuild?.();
      if (frame !== undefined) cancelAnimationFrame(frame);
    },
  };
}
