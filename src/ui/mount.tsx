import { render } from 'preact';
import { Panel, type PanelProps } from './Panel';

/**
 * Renders the panel into `container` (the shadow root's container); returns the unmount function.
 * @example const unmount = mountPanel(container, { exchange: 'binance', symbol: 'BTCUSDT', signal });
 */
export function mountPanel(container: HTMLElement, props: PanelProps): () => void {
  render(<Panel {...props} />, container);
  return () => render(null, container);
}
