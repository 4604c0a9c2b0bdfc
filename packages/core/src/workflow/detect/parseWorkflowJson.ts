import type { WorkflowProblem } from './WorkflowProblem.js';

/** JSON.parse that reports instead of throwing: a broken file is a problem to show, not a crash. */
export function parseWorkflowJson(text: string): { data?: unknown; problems: WorkflowProblem[] } {
  try {
    return { data: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown, problems: [] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problems: [
        {
          code: 'invalid_json',
          severity: 'error',
          message: `the file is not valid JSON (${reason}); export the workflow again with "Export (API)"`,
        },
      ],
    };
  }
}
