/** An estimator host that runs jobs in the test's own thread (no Worker, no offscreen document). */
import { releaseProxy, type Remote } from 'comlink';
import { type EstimateJob, type EstimatorApi, runJob } from '../../src/worker/api';
import { createHost, type EstimatorHost } from '../../src/worker/host';

export function inProcessHost(): EstimatorHost {
  return createHost({
    kind: 'in-process',
    connect: async () => ({
      remote: { run: async (job: EstimateJob) => runJob(job), ping: async () => 'pong', [releaseProxy]: () => {} } as unknown as Remote<EstimatorApi>,
      dispose: async () => {},
    }),
  });
}
