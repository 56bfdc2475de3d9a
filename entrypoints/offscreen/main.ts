/**
 * The offscreen document (Chrome, reason WORKERS): starts the estimator worker and hands the
 * background service worker a port connected straight to it. It holds no logic of its own.
 */
import EstimatorWorker from '../../src/worker/estimator.worker?worker';
import { CONNECT, IDLE, isControl, PORT, RECONNECT } from '../../src/worker/protocol';

let worker: Worker | undefined;

function estimatorWorker(): Worker {
  if (!worker) {
    worker = new EstimatorWorker({ name: 'liqlens-estimator' });
    worker.addEventListener('message', (event: MessageEvent) => {
      // Idle for long with no background asking: the background that opened this document is gone.
      if (isControl(event.data, IDLE)) window.close();
    });
  }
  return worker;
}

async function offerPort(): Promise<void> {
  const registration = await navigator.serviceWorker.ready;
  const background = registration.active;
  if (!background) return;
  const channel = new MessageChannel();
  estimatorWorker().postMessage({ type: CONNECT }, [channel.port1]);
  background.postMessage({ type: PORT }, [channel.port2]);
}

navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
  if (isControl(event.data, RECONNECT)) void offerPort();
});
navigator.serviceWorker.startMessages();
void offerPort();
