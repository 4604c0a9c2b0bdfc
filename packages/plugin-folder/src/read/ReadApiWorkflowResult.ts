import type { ApiWorkflow } from '@comfyrelay/core';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';

/** What reading an API-format workflow gave: the graph, or every reason there is none. */
export type ReadApiWorkflowResult =
  | {
      ok: true;
      graph: ApiWorkflow;
      /** The raw embedded manifest (the top-level `comfyrelay` key), unchecked. */
      manifest?: unknown;
    }
  | {
      ok: false;
      problems: WorkflowProblem[];
      /** Set when the file does not exist (then it is the only problem). */
      notFound?: true;
    };

export interface ReadApiWorkflowOptions {
  /**
   * What the messages call the file (a path, say). Without it they say "the file" (or "this",
   * "the workflow"), for callers that show the file name beside the message themselves.
   */
  name?: string;
}
