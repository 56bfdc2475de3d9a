/** Drawing a part of the panel's render in a later task, so no single render is a long task on the exchange's page. */
import { useEffect, useState } from 'preact/hooks';
import { nextTask } from './next-task';

/**
 * False until after the first render in which `when` held, true from then on: a part of a large
 * render drawn in a task of its own. It waits for the render's effects (they run after the next
 * frame), so that the effects and the second part are not one long task either.
 */
export function useAfterTask(when: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => (when && !done ? nextTask(() => setDone(true)) : undefined), [when, done]);
  return done;
}
