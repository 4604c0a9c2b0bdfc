/**
 * The test's own reading of PROTOCOL.md's message shapes (independent of the code under test):
 * what a consumer of a `message` event, a router sink or a progress interpreter may rely on.
 */

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A count a consumer may add up without reaching Infinity (steps, queue lengths). */
const isCount = (v: unknown): v is number => isNum(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const isStrList = (v: unknown) => Array.isArray(v) && v.every(isStr);

const shapes: Record<string, (d: Record<string, unknown>) => boolean> = {
  status: (d) =>
    isObj(d['status']) &&
    isObj(d['status']['exec_info']) &&
    isCount(d['status']['exec_info']['queue_remaining']) &&
    optional(d['sid'], isStr),
  feature_flags: () => true,
  execution_start: (d) => isStr(d['prompt_id']) && optional(d['timestamp'], isNum),
  execution_cached: (d) =>
    isStr(d['prompt_id']) && isStrList(d['nodes']) && optional(d['timestamp'], isNum),
  executing: (d) =>
    (d['node'] === null || isStr(d['node'])) &&
    optional(d['display_node'], isStr) &&
    optional(d['prompt_id'], isStr),
  progress: (d) =>
    isCount(d['value']) &&
    isCount(d['max']) &&
    optional(d['prompt_id'], isStr) &&
    optional(d['node'], isStr),
  progress_state: (d) =>
    isStr(d['prompt_id']) &&
    isObj(d['nodes']) &&
    Object.values(d['nodes']).every(
      (n) => isObj(n) && isCount(n['value']) && isCount(n['max']) && isStr(n['state']),
    ),
  executed: (d) =>
    isStr(d['node']) &&
    isStr(d['prompt_id']) &&
    (d['output'] === null || isObj(d['output'])) &&
    optional(d['display_node'], isStr),
  execution_success: (d) => isStr(d['prompt_id']) && optional(d['timestamp'], isNum),
  execution_error: (d) =>
    isStr(d['prompt_id']) &&
    isStr(d['node_id']) &&
    isStr(d['node_type']) &&
    isStr(d['exception_message']) &&
    isStr(d['exception_type']) &&
    optional(d['traceback'], isStrList) &&
    optional(d['executed'], isStrList),
  execution_interrupted: (d) =>
    isStr(d['prompt_id']) &&
    isStr(d['node_id']) &&
    isStr(d['node_type']) &&
    optional(d['executed'], isStrList),
};

export const terminalTypes = new Set([
  'execution_success',
  'execution_error',
  'execution_interrupted',
]);

/** What is wrong with a message someone received; undefined when it is well-formed. */
export function malformation(message: unknown): string | undefined {
  if (!isObj(message)) return 'not an object';
  const type = message['type'];
  if (!isStr(type)) return 'no string type';
  const shape = Object.hasOwn(shapes, type) ? shapes[type] : undefined;
  if (!shape) return undefined; // a type this version does not know: nobody reads its data
  const data = message['data'];
  if (!isObj(data)) return `${type}: data is not an object`;
  return shape(data) ? undefined : `${type}: ${safeJson(data).slice(0, 300)}`;
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '(not serialisable)';
  }
}

/** Whether a frame (as the test sent it) names `promptId` in a terminal message that can be read. */
export function isReadableTerminalFor(text: string, promptId: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObj(value) || !isObj(value['data'])) return false;
  const data = value['data'];
  if (data['prompt_id'] !== promptId && data['prompt_id'] !== undefined) return false;
  if (terminalTypes.has(value['type'] as string)) return data['prompt_id'] === promptId;
  // `executing` with node null (and our id, or none: it may then be taken as ours) ends a prompt.
  return value['type'] === 'executing' && data['node'] === null;
}

/** A failure message a user can read: words, not a crash's text. */
export function isWords(message: unknown): boolean {
  return (
    typeof message === 'string' &&
    message.trim().length > 10 &&
    message.length <= 1_200 &&
    !/TypeError|SyntaxError|RangeError|Unexpected token|is not a function|Cannot read prop|undefined|\[object Object\]/.test(
      message,
    )
  );
}
