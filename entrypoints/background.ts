import { defineBackground } from 'wxt/utils/define-background';

// Keep this file thin: everything runs inside main(), nothing at module load.
export default defineBackground({
  main() {
    // The data pipeline (exchange feeds, estimator worker) is wired in here later.
  },
});
