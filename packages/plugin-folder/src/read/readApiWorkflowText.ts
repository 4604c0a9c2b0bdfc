import { parseJson } from './parseJson.js';
import { readApiWorkflow } from './readApiWorkflow.js';
import type { ReadApiWorkflowOptions, ReadApiWorkflowResult } from './ReadApiWorkflowResult.js';

/** {@link readApiWorkflow} on the text of a file: invalid JSON is one more problem. */
export function readApiWorkflowText(
  text: string,
  options: ReadApiWorkflowOptions = {},
): ReadApiWorkflowResult {
  const parsed = parseJson(text);
  if (parsed.ok) return readApiWorkflow(parsed.data, options);
  return {
    ok: false,
    problems: [
      {
        code: 'invalid_json',
        severity: 'error',
        message: `${options.name ?? 'the file'} is not valid JSON (${parsed.reason}); export the workflow again with "Export (API)"`,
      },
    ],
  };
}
