import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '@comfyrelay/vitest-config';

export default mergeConfig(sharedConfig, defineProject({ test: {} }));
