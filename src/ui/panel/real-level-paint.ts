/**
 * Paints real-level marks (src/render/real-levels.ts) on a 2D canvas, the same way in the panel
 * and the full view: an outlined tick from the plot's right edge inwards in the side's colour,
 * ending in a diamond, a shape no heat cell or pool band has, so a real level never reads as
 * estimated heat.
 */
import type { RealLevelMark } from '../../render/real-levels';
import { LONG_COLOR, SHORT_COLOR } from '../../render/side-bars';

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/**
 * Draws `marks` ending at x = `right`; the smallest last, so a small level is never hidden under a big one.
 * @example paintRealLevelMarks(ctx, realLevelMarks(levels, layout), plot.x + plot.width, 'dark');
 */
export function paintRealLevelMarks(ctx: CanvasRenderingContext2D, marks: readonly RealLevelMark[], right: number, theme: 'dark' | 'light'): void {
  const outline = theme === 'dark' ? 'rgba(255, 255, 255, 0.9)' : 'rgba(0, 0, 0, 0.85)';
  ctx.lineWidth = 1;
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i]!;
    const left = right - mark.length;
    ctx.fillStyle = outline;
    ctx.fillRect(left - 1, mark.y - 1, mark.length + 1, 3);
    ctx.fillStyle = rgb(mark.side === 'long' ? LONG_COLOR : SHORT_COLOR);
    ctx.fillRect(left, mark.y, mark.length, 1);
    ctx.beginPath();
    ctx.moveTo(left - 4, mark.y + 0.5);
    ctx.lineTo(left - 1, mark.y - 2.5);
    ctx.lineTo(left + 2, mark.y + 0.5);
    ctx.lineTo(left - 1, mark.y + 3.5);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = outline;
    ctx.stroke();
  }
}
