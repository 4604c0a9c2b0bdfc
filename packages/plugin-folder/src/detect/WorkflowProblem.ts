/**
 * What can be wrong with an exported workflow. `error`s make it unusable (it is not registered);
 * `warning`s are worth fixing but ComfyUI may still run it (a model this server lacks, say).
 */
export type WorkflowProblemCode =
  | 'invalid_json'
  | 'ui_format'
  | 'not_api_format'
  | 'empty'
  | 'unknown_class'
  | 'class_not_checked'
  | 'missing_node'
  | 'bad_link'
  | 'bad_output_index'
  | 'link_type_mismatch'
  | 'required_input_missing'
  | 'value_out_of_range'
  | 'value_not_in_list'
  | 'cycle'
  | 'no_output_node'
  | 'manifest_invalid'
  | 'binding_invalid'
  | 'duplicate_id'
  | 'unreadable'
  | 'check_failed';

export interface WorkflowProblem {
  code: WorkflowProblemCode;
  severity: 'error' | 'warning';
  /** A plain sentence naming the node (id and class) and the input when there is one. */
  message: string;
  node?: string;
  classType?: string;
  input?: string;
}

export function hasErrors(problems: readonly WorkflowProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
