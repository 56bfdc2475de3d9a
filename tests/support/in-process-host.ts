/** An estimator host that runs jobs in the test's own thread (no Worker, no offscreen document). */
import { releaseProxy, type Remote } from 'comlink';
import { type EstimateJob, type EstimatorApi, runJob } from '../../src/worker/api';
import { createHost, type EstimatorHost } from '../../src/worker/host';
import { createSessionStore, type SessionRequest, type SessionStore } from '../../src/worker/session-store';

/**
 * Each connection has its own kept estimates, like a worker; `store` replaces them (a test that
 * counts or drops them).
 */
export function inProcessHost(store?: () => SessionStore): EstimatorHost {
  return createHost({
    kind: 'in-process',
    connect: async () => {
      const sessions = store?.() ?? createSessionStore();
      return {
        remote: {
          run: async (job: EstimateJob) => runJob(job),
          session: async (request: SessionRequest) => sessions.handle(request),
          ping: async () => 'pong',
          [releaseProxy]: () => {},
        } as unknown as Remote<EstimatorApi>,
        dispose: async () => {},
      };
    },
  });
}
