import { coerceParameterValue, isNodeLink, type ApiWorkflow } from '@comfyrelay/core';
import { closestMatches } from '@comfyrelay/core';
import {
  classOf,
  inputNamesOf,
  inputSpecOf,
  nodeLabel,
  takesUpload,
  widgetSpec,
  type NodeCatalogue,
} from './nodeCatalogue.js';
import type { ImageOption, SetOption } from './setOption.js';

/** What `--set`, `--image` and `--force` make of a workflow file, checked input by input. */
export interface ResolvedInputs {
  /** The file's graph plus the inputs `--set` adds (optional ones it left out) or forces over links. */
  graph: ApiWorkflow;
  /** `NODE.INPUT` of every input that takes an uploaded picture (LoadImage's `image`). */
  uploadInputs: Set<string>;
  /** `--set` values for inputs the file holds a value in, as typed: core's coercer reads them. */
  given: Record<string, string>;
  /** `NODE.INPUT` → picture file, from `--image`. */
  images: Record<string, string>;
  /** Every `NODE.INPUT` set by hand (kept out of the seeds `--count` rerolls). */
  setByHand: Set<string>;
  /** Links `--force` replaced, in words, for stderr. */
  replacedLinks: string[];
  /** Every `--set` and `--image` refused, one sentence each. */
  problems: string[];
}

/**
 * Checks every `--set` and `--image` against the file and the node catalogue, and names every
 * one it refuses, in words: a node the file lacks (naming its nodes), an input its class lacks (with
 * the closest names), an input that holds a link (unless forced, and never a MODEL or IMAGE
 * socket), a value of the wrong type. Without a catalogue only the file's own inputs are known.
 */
export function resolveInputs(
  file: ApiWorkflow,
  sets: readonly SetOption[],
  images: readonly ImageOption[],
  catalogue: NodeCatalogue | undefined,
  force: boolean,
): ResolvedInputs {
  const graph = structuredClone(file);
  const problems: string[] = [];
  const result: ResolvedInputs = {
    graph,
    uploadInputs: uploadInputsOf(graph, catalogue),
    given: {},
    images: {},
    setByHand: new Set(),
    replacedLinks: [],
    problems,
  };
  const nodeList = () =>
    Object.entries(file)
      .map(([id, node]) => `${id} (${node.class_type})`)
      .join(', ');

  for (const { nodeId, input, text } of sets) {
    const key = `${nodeId}.${input}`;
    const say = (why: string) => problems.push(`--set ${key}=${text}: ${why}`);
    const node = Object.hasOwn(graph, nodeId) ? graph[nodeId] : undefined;
    if (!node) {
      say(`the workflow has no node ${nodeId}; its nodes are ${nodeList()}`);
      continue;
    }
    const label = nodeLabel(nodeId, node);
    const info = classOf(catalogue, node);
    const spec = inputSpecOf(info, input);
    const current = Object.hasOwn(node.inputs, input) ? node.inputs[input] : undefined;
    result.setByHand.add(key);

    if (current === undefined && !spec) {
      const known = [...Object.keys(node.inputs), ...inputNamesOf(info)];
      const close = closestMatches(input, known, 2).map((name) => `${nodeId}.${name}`);
      const scope = !catalogue
        ? ' in this file (the server could not list its node classes, so no others are known)'
        : !info
          ? ` in this file (${node.class_type} is not a class the ${catalogue.source} knows)`
          : '';
      say(
        `${label} has no input "${input}"${scope}; ${
          close.length > 0
            ? `did you mean ${close.join(' or ')}?`
            : `its inputs are ${[...new Set(known)].join(', ') || 'none'}`
        }`,
      );
      continue;
    }
    if (current !== undefined && !isNodeLink(current)) {
      if (typeof current === 'object' && current !== null)
        say(`${label} input "${input}" holds a list, not a single value, so it cannot be set`);
      else if (/^\s*-?\d+\s*$/.test(text) && !Number.isSafeInteger(Number(text)))
        say(
          `${text.trim()} cannot be sent exactly (whole numbers above ${Number.MAX_SAFE_INTEGER} lose digits on the way to ComfyUI); use a smaller number`,
        );
      else result.given[key] = text;
      continue;
    }
    // A link to replace (with --force) or an input the file leaves out: typed by the catalogue.
    const link = isNodeLink(current) ? current : undefined;
    if (link && !force) {
      say(
        `${label} input "${input}" is linked to node ${link[0]} (its output ${link[1]}); --set would cut that link. Add --force to replace the link with this value`,
      );
      continue;
    }
    const parameter = spec && widgetSpec(key, input, spec);
    if (!parameter) {
      say(
        spec
          ? `${label} input "${input}" takes ${String(spec[0])} from another node, not a value`
          : `cannot tell what kind of value ${label} input "${input}" takes (the server could not list its node classes), so its link is kept`,
      );
      continue;
    }
    const coerced = coerceParameterValue(parameter, text);
    if (!coerced.ok) {
      say(coerced.problem);
      continue;
    }
    node.inputs[input] = coerced.value as string | number | boolean;
    if (link) {
      const dropped = dropUnused(graph, link[0], catalogue);
      const leftOut =
        dropped.length === 0
          ? ''
          : dropped.length === 1
            ? ` (node ${dropped[0]} no longer feeds anything and is left out)`
            : ` (nodes ${dropped.join(', ')} no longer feed anything and are left out)`;
      result.replacedLinks.push(
        `--force: ${key} was linked to node ${link[0]} (output ${link[1]}); that link is replaced by ${JSON.stringify(coerced.value)}${leftOut}`,
      );
    }
  }

  for (const { nodeId, path } of images) {
    const key = `${nodeId}.image`;
    const node = Object.hasOwn(graph, nodeId) ? graph[nodeId] : undefined;
    if (!node) {
      problems.push(
        `--image ${nodeId}=${path}: the workflow has no node ${nodeId}; its nodes are ${nodeList()}`,
      );
      continue;
    }
    if (!result.uploadInputs.has(key)) {
      const loaders = [...result.uploadInputs].map((k) => k.slice(0, k.lastIndexOf('.')));
      problems.push(
        `--image ${nodeId}=${path}: ${nodeLabel(nodeId, node)} takes no picture; --image goes to a LoadImage node (${
          loaders.length > 0 ? `this workflow's: ${loaders.join(', ')}` : 'this workflow has none'
        })`,
      );
      continue;
    }
    result.images[key] = path;
    result.setByHand.add(key);
    delete result.given[key];
  }

  return result;
}

function uploadInputsOf(graph: ApiWorkflow, catalogue: NodeCatalogue | undefined): Set<string> {
  const found = new Set<string>();
  for (const [id, node] of Object.entries(graph)) {
    const info = classOf(catalogue, node);
    for (const [input, value] of Object.entries(node.inputs)) {
      if (typeof value === 'string' && takesUpload(info, node, input)) found.add(`${id}.${input}`);
    }
  }
  return found;
}

/**
 * A node whose only use was the link `--force` replaced feeds nothing now. ComfyUI never runs
 * or validates such a node, so it is left out (and the nodes that only fed it), rather than
 * refused by the check before submitting (a custom "seed" node this server lacks, say).
 */
function dropUnused(
  graph: ApiWorkflow,
  nodeId: string,
  catalogue: NodeCatalogue | undefined,
): string[] {
  const node = Object.hasOwn(graph, nodeId) ? graph[nodeId] : undefined;
  if (!node || classOf(catalogue, node)?.output_node === true) return [];
  const consumed = Object.values(graph).some((other) =>
    Object.values(other.inputs).some((value) => isNodeLink(value) && value[0] === nodeId),
  );
  if (consumed) return [];
  delete graph[nodeId];
  const dropped = [`${nodeId} (${node.class_type})`];
  for (const value of Object.values(node.inputs))
    if (isNodeLink(value)) dropped.push(...dropUnused(graph, value[0], catalogue));
  return dropped;
}
