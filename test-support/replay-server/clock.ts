/**
 * The replay clock. The recorded series end in the past; the server pretends "now" is a fixed
 * instant of the recording (by default its end) and can move forward, either explicitly with
 * `advance(ms)` or continuously at `speed` × wall time. Data stamped after "now" is hidden.
 */
import { performance } from 'node:perf_hooks';

export class ReplayClock {
  private anchorMs: number;
  private anchorWall: number;
  private speedFactor: number;

  constructor(startMs: number, speed = 0) {
    this.anchorMs = startMs;
    this.anchorWall = performance.now();
    this.speedFactor = speed;
  }

  /** Current replay time, epoch milliseconds (integer). */
  now(): number {
    return Math.floor(this.anchorMs + (performance.now() - this.anchorWall) * this.speedFactor);
  }

  /** Moves "now" forward (or back, with a negative value) by `ms`. */
  advance(ms: number): number {
    this.rebase();
    this.anchorMs += ms;
    return this.now();
  }

  /** Jumps to an absolute instant. */
  set(ms: number): number {
    this.anchorMs = ms;
    this.anchorWall = performance.now();
    return this.now();
  }

  /** 0 freezes the clock (the default); 1 runs it at wall speed; 60 makes a wall second a replay minute. */
  get speed(): number {
    return this.speedFactor;
  }

  set speed(value: number) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`clock speed must be a finite number >= 0, got ${value}`);
    this.rebase();
    this.speedFactor = value;
  }

  private rebase(): void {
    const wall = performance.now();
    this.anchorMs += (wall - this.anchorWall) * this.speedFactor;
    this.anchorWall = wall;
  }
}
