/**
 * Where the panel sits on the page: a stored layout kept inside the viewport, and dragging the
 * panel by its header.
 */
import { clampPosition, type PanelLayout } from './layout-store';

function viewport(): { width: number; height: number } {
  return typeof window === 'undefined' ? { width: 1280, height: 800 } : { width: window.innerWidth, height: window.innerHeight };
}

/** A stored layout kept inside the current viewport. */
export function fitted(layout: PanelLayout, element: HTMLElement | null): PanelLayout {
  if (layout.x === undefined || layout.y === undefined) return layout;
  const rect = element?.getBoundingClientRect();
  return { ...layout, ...clampPosition({ x: layout.x, y: layout.y }, { width: rect?.width || 440, height: rect?.height || 40 }, viewport()) };
}

/**
 * Dragging by the header: pointer capture, one position per frame, stored on release. Clicks on
 * the header's controls are left alone.
 */
export function useDrag(section: { readonly current: HTMLElement | null }, layout: PanelLayout, update: (next: PanelLayout) => void) {
  return (event: PointerEvent) => {
    const header = event.currentTarget as HTMLElement;
    const target = event.target as Element | null;
    if (event.button !== 0 || target?.closest('button, select, input, a')) return;
    const panel = section.current;
    if (!panel) return;
    const rect = panel.getBoundingClientRect();
    const dx = event.clientX - rect.left;
    const dy = event.clientY - rect.top;
    let latest = { x: rect.left, y: rect.top };
    let frame: number | undefined;
    let moved = false;
    header.setPointerCapture?.(event.pointerId);
    event.preventDefault();
    const move = (e: PointerEvent) => {
      moved = true;
      latest = clampPosition({ x: e.clientX - dx, y: e.clientY - dy }, { width: rect.width, height: rect.height }, viewport());
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        panel.style.left = `${latest.x}px`;
        panel.style.top = `${latest.y}px`;
        panel.style.right = 'auto';
        panel.style.bottom = 'auto';
      });
    };
    const up = () => {
      header.removeEventListener('pointermove', move);
      header.removeEventListener('pointerup', up);
      header.removeEventListener('pointercancel', up);
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (moved) update({ ...layout, x: latest.x, y: latest.y });
    };
    header.addEventListener('pointermove', move);
    header.addEventListener('pointerup', up);
    header.addEventListener('pointercancel', up);
  };
}
