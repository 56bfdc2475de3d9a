import { useState } from 'preact/hooks';
import type { Side } from '../../engine/types';
import type { ManualOrder } from '../../sites/order-check';
import { parseAmount } from '../../sites/read-form';

/**
 * Side, entry and stop typed by hand, for pages whose order form cannot be read. Reports the
 * order as it is typed (undefined while side or entry is missing or not a price).
 */
export function ManualEntry({ onChange }: { onChange: (order: ManualOrder | undefined) => void }) {
  const [side, setSide] = useState<Side>('long');
  const [entry, setEntry] = useState('');
  const [stop, setStop] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const update = (next: { side?: Side; entry?: string; stop?: string }) => {
    const s = next.side ?? side;
    const e = next.entry ?? entry;
    const st = next.stop ?? stop;
    setSide(s);
    setEntry(e);
    setStop(st);
    const entryValue = parseAmount(e);
    const stopValue = st.trim() === '' ? undefined : parseAmount(st);
    if (e.trim() !== '' && entryValue === undefined) setProblem('Entry must be a price, like 64000.5');
    else if (st.trim() !== '' && stopValue === undefined) setProblem('Stop must be a price, like 63500');
    else setProblem(undefined);
    onChange(entryValue === undefined ? undefined : { side: s, entry: entryValue, ...(stopValue !== undefined ? { stop: stopValue } : {}) });
  };

  return (
    <form class="manual" aria-label="Check an order by hand" onSubmit={(event) => event.preventDefault()}>
      <select aria-label="Side" value={side} onChange={(event) => update({ side: (event.currentTarget as HTMLSelectElement).value as Side })}>
        <option value="long">Long</option>
        <option value="short">Short</option>
      </select>
      <input aria-label="Entry" placeholder="Entry" inputMode="decimal" value={entry} onInput={(event) => update({ entry: (event.currentTarget as HTMLInputElement).value })} />
      <input aria-label="Stop" placeholder="Stop" inputMode="decimal" value={stop} onInput={(event) => update({ stop: (event.currentTarget as HTMLInputElement).value })} />
      {problem ? <p class="muted problem" role="alert">{problem}</p> : null}
    </form>
  );
}
