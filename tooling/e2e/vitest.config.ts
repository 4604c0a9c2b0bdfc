import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '@comfyrelay/vitest-config';

// The chaos file is tagged `// @module-tag chaos`: only its tests get the long timeout (the
// bound that turns a hung generation into a failure). Everything else keeps the shared 30 s.
export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      tags: [
        {
          name: 'chaos',
          description: '1,000 generations under seeded faults; bounded, not timed',
          timeout: 150_000,
        },
      ],
    },
  }),
);
