import { isPlainObject, type ApiPrompt } from '../prompt.js';
import type { NodeRegistry } from '../nodes/registry.js';
import type { CatalogContext, InputSpec, InputType, NodeDefinition } from '../nodes/types.js';
import { convertInput, pyIndex, typesMatch } from './input-checks.js';
import { checkRange, invalidType, missingInput, notInList } from './input-errors.js';
import { pyRepr, pyStr } from './python-values.js';
import { INNER_VALIDATE_FRAME, MISSING_NODE_FRAME } from './tracebacks.js';
import { PyException, type ValidationError } from './validation-types.js';

export interface NodeValidation {
  valid: boolean;
  reasons: ValidationError[];
}

/**
 * ComfyUI's validate_inputs: checks one node and, recursively, everything it links to.
 * `validated` keeps insertion order (children first), which decides how node_errors are gathered.
 */
export class InputValidator {
  readonly validated = new Map<string, NodeValidation>();

  constructor(
    private readonly prompt: ApiPrompt,
    private readonly registry: NodeRegistry,
    private readonly catalog: CatalogContext,
  ) {}

  validate(nodeId: string): NodeValidation {
    const known = this.validated.get(nodeId);
    if (known) return known;
    const node = this.prompt[nodeId];
    if (!isPlainObject(node?.inputs)) throw new PyException('KeyError', "'inputs'", []);
    const inputs = node.inputs;
    const definition = this.registry.get(node.class_type) as NodeDefinition;
    const specs = definition.inputTypes(this.catalog);
    const customInputs = new Set(definition.customValidation?.inputs ?? []);
    const errors: ValidationError[] = [];
    let valid = true;
    const entries: [string, InputSpec, boolean][] = [
      ...Object.entries(specs.required).map(([name, spec]): [string, InputSpec, boolean] => [
        name,
        spec,
        true,
      ]),
      ...Object.entries(specs.optional ?? {}).map(([name, spec]): [string, InputSpec, boolean] => [
        name,
        spec,
        false,
      ]),
    ];
    for (const [name, spec, required] of entries) {
      const [type, options = {}] = spec;
      const info = [type, options];
      if (!(name in inputs)) {
        if (required) errors.push(missingInput(name));
        continue;
      }
      let value = inputs[name];
      if (Array.isArray(value)) {
        const outcome = this.validateLink(name, value, type, info);
        if (outcome === 'upstream-invalid') valid = false;
        else if (outcome) errors.push(outcome);
        continue;
      }
      if (isPlainObject(value) && '__value__' in value) {
        value = value['__value__'];
        inputs[name] = value;
      }
      const converted = convertInput(type, value);
      if (!converted.ok) {
        errors.push(invalidType(name, type, info, value, converted.error));
        continue;
      }
      value = converted.value;
      if (typeof type === 'string' && ['INT', 'FLOAT', 'STRING', 'BOOLEAN'].includes(type))
        inputs[name] = value;
      if (customInputs.has(name)) continue;
      const rangeError = checkRange(name, type, options, info, value);
      if (rangeError) errors.push(rangeError);
      else if (Array.isArray(type) && !type.includes(value as string))
        errors.push(notInList(name, type, info, value));
    }
    const custom = definition.customValidation;
    if (custom && custom.inputs.every((name) => name in inputs && !Array.isArray(inputs[name]))) {
      const verdict = custom.validate(inputs, this.catalog);
      if (verdict !== true) {
        errors.push({
          type: 'custom_validation_failed',
          message: 'Custom validation failed for node',
          details: `${definition.classType} - ${verdict}`,
          extra_info: {},
        });
      }
    }
    const result: NodeValidation =
      errors.length > 0 || !valid
        ? { valid: false, reasons: errors }
        : { valid: true, reasons: [] };
    this.validated.set(nodeId, result);
    return result;
  }

  /** Returns an error for this input, 'upstream-invalid', or undefined when the link is fine. */
  private validateLink(
    name: string,
    link: unknown[],
    type: InputType,
    info: unknown[],
  ): ValidationError | 'upstream-invalid' | undefined {
    if (link.length !== 2) {
      return {
        type: 'bad_linked_input',
        message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
        details: name,
        extra_info: { input_name: name, input_config: info, received_value: link },
      };
    }
    const [sourceId, slot] = link;
    const source = typeof sourceId === 'string' ? this.prompt[sourceId] : undefined;
    if (source === undefined)
      throw new PyException('KeyError', pyRepr(sourceId), [MISSING_NODE_FRAME]);
    const returnTypes = (this.registry.get(source.class_type) as NodeDefinition).outputs.map(
      (o) => o.type,
    );
    const receivedType = pyIndex(returnTypes, slot);
    if (!typesMatch(receivedType, type)) {
      return {
        type: 'return_type_mismatch',
        message: 'Return type mismatch between linked nodes',
        details: `${name}, received_type(${receivedType}) mismatch input_type(${pyStr(type)})`,
        extra_info: {
          input_name: name,
          input_config: info,
          received_type: receivedType,
          linked_node: link,
        },
      };
    }
    try {
      return this.validate(sourceId as string).valid ? undefined : 'upstream-invalid';
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
      this.validated.set(sourceId as string, {
        valid: false,
        reasons: [
          {
            type: 'exception_during_inner_validation',
            message: 'Exception when validating inner node',
            details: error.pyMessage,
            extra_info: {
              input_name: name,
              input_config: info,
              exception_message: error.pyMessage,
              exception_type: error.pyType,
              traceback: [INNER_VALIDATE_FRAME, ...error.traceback],
              linked_node: link,
            },
          },
        ],
      });
      return 'upstream-invalid';
    }
  }
}
