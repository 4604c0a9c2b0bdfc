import { createTemplateLoader } from '@comfyrelay/core';

/**
 * The shipped templates live in `<package>/workflows/`, beside `src/` and `dist/`. This file sits
 * one folder deep in both, so the same relative URL works from the sources (tests) and the build.
 */
export const loadTemplate = createTemplateLoader(new URL('../../workflows/', import.meta.url));
