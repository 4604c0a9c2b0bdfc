import { RefusedError } from '../errors.js';

/** One `--set NODE.INPUT=VALUE`, with the value as typed: core's coercer gives it its type. */
export interface SetOption {
  nodeId: string;
  input: string;
  text: string;
}

/** Parse `NODE.INPUT=VALUE`: the input name follows the last dot before `=` (node ids such as "12:3" may hold anything). */
export function parseSetOption(text: string): SetOption {
  const equals = text.indexOf('=');
  const target = equals === -1 ? text : text.slice(0, equals);
  const dot = target.lastIndexOf('.');
  if (equals === -1 || dot <= 0 || dot === target.length - 1) {
    throw new RefusedError(
      `--set "${text}" must look like NODE.INPUT=VALUE, such as --set 3.steps=30`,
    );
  }
  return {
    nodeId: target.slice(0, dot),
    input: target.slice(dot + 1),
    text: text.slice(equals + 1),
  };
}

/** One `--image NODE=PATH`: a picture for a LoadImage node, uploaded to the server. */
export interface ImageOption {
  nodeId: string;
  path: string;
}

export function parseImageOption(text: string): ImageOption {
  const equals = text.indexOf('=');
  const nodeId = equals > 0 ? text.slice(0, equals).trim() : '';
  if (nodeId === '' || equals === text.length - 1) {
    throw new RefusedError(
      `--image takes NODE=PATH, the id of a LoadImage node and a picture file (such as --image 10=photo.png), not "${text}"`,
    );
  }
  return { nodeId, path: text.slice(equals + 1) };
}
