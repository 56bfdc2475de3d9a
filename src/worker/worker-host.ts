/**
 * Where `Worker` exists (Firefox's background page, extension pages): the estimator worker is
 * started directly, on first use, and terminated after `IDLE_MS` without calls.
 */
import EstimatorWorker from './estimator.worker?worker';
import { connectWorker, createHost, type EstimatorHost, type HostOptions } from './host';

export function createWorkerHost(options: Pick<HostOptions, 'idleMs' | 'callTimeoutMs'> = {}): EstimatorHost {
  return createHost({
    kind: 'worker',
    connect: () => connectWorker(() => new EstimatorWorker({ name: 'liqlens-estimator' })),
    ...options,
  });
}
