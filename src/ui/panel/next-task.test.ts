import { describe, expect, it } from 'vitest';
import { nextTask, runSliced } from './next-task';

/** Steps that each advance a fake clock by `stepMs`, and record the task they ran in. */
function* counted(steps: number, clock: { now: number; task: number }, log: number[], stepMs: number): Generator<void, string, void> {
  for (let i = 0; i < steps; i++) {
    clock.now += stepMs;
    log.push(clock.task);
    yield;
  }
  return `done after ${steps}`;
}

describe('nextTask', () => {
  it('runs the callback in a later task, not in the current one', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      nextTask(() => {
        order.push('task');
        resolve();
      });
      order.push('now');
    });
    expect(order).toEqual(['now', 'task']);
  });

  it('runs nothing once cancelled', async () => {
    let ran = false;
    nextTask(() => (ran = true))();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
  });
});

describe('runSliced', () => {
  it('runs as many steps per task as fit in the slice and hands over the result', async () => {
    const clock = { now: 0, task: 0 };
    const log: number[] = [];
    const result = await new Promise<string>((resolve) => {
      // Each step takes 1 ms of the fake clock, each slice 4 ms: four steps per task.
      runSliced(counted(10, clock, log, 1), resolve, 4, () => clock.now);
      // Tasks are told apart by a counter bumped between them.
      const bump = (): void => {
        clock.task++;
        if (clock.task < 50) nextTask(bump);
      };
      nextTask(bump);
    });
    expect(result).toBe('done after 10');
    expect(log).toHaveLength(10);
    const perTask = new Map<number, number>();
    for (const task of log) perTask.set(task, (perTask.get(task) ?? 0) + 1);
    expect([...perTask.values()].every((n) => n <= 4)).toBe(true);
    expect(perTask.size).toBeGreaterThanOrEqual(3);
  });

  it('stops: no further steps and no result once stopped', async () => {
    const clock = { now: 0, task: 0 };
    const log: number[] = [];
    let finished = false;
    const stop = runSliced(counted(100, clock, log, 5), () => (finished = true), 4, () => clock.now);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop();
    const ranBefore = log.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.length).toBe(ranBefore);
    expect(ranBefore).toBeLessThan(100);
    expect(finished).toBe(false);
  });
});
