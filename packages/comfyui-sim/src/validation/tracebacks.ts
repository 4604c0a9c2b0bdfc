/** Traceback frames as ComfyUI 0.8.0 reports them for validation exceptions (captures/errors.log). */
export const VALIDATE_PROMPT_FRAME =
  '  File "ComfyUI/execution.py", line 1043, in validate_prompt\n' +
  '    m = await validate_inputs(prompt_id, prompt, o, validated)\n' +
  '        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n';

export const INNER_VALIDATE_FRAME =
  '  File "ComfyUI/execution.py", line 849, in validate_inputs\n' +
  '    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n' +
  '        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n';

export const MISSING_NODE_FRAME =
  '  File "ComfyUI/execution.py", line 818, in validate_inputs\n' +
  "    o_class_type = prompt[o_id]['class_type']\n" +
  '                   ~~~~~~^^^^^^\n';

export const BAD_SLOT_FRAME =
  '  File "ComfyUI/execution.py", line 820, in validate_inputs\n' +
  '    received_type = r[val[1]]\n' +
  '                    ~^^^^^^^^\n';
