import { NodeFailure } from '../nodes/types.js';

/** The frames every node exception passes through in ComfyUI 0.8.0 (captures/failnode.log). */
const EXECUTE_FRAMES = [
  '  File "ComfyUI/execution.py", line 518, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, v3_data=v3_data)\n                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "ComfyUI/execution.py", line 329, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, v3_data=v3_data)\n                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "ComfyUI/execution.py", line 303, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "ComfyUI/execution.py", line 291, in process_inputs\n    result = f(**inputs)\n             ^^^^^^^^^^^\n',
];

export interface ExceptionReport {
  exception_message: string;
  exception_type: string;
  traceback: string[];
}

/** Turns whatever a node threw into the fields of execution_error. */
export function exceptionReport(error: unknown, classType: string): ExceptionReport {
  const message = error instanceof Error ? error.message : String(error);
  const failure = error instanceof NodeFailure ? error : undefined;
  const frame =
    failure?.frame ??
    `  File "ComfyUI/nodes.py", line 1, in ${classType}\n    raise ${failure?.exceptionType ?? 'Exception'}(...)\n`;
  return {
    // ComfyUI appends a line of tips (empty unless out of memory) after the message.
    exception_message: `${message}\n`,
    exception_type: failure?.exceptionType ?? 'Exception',
    traceback: [...EXECUTE_FRAMES, frame],
  };
}
