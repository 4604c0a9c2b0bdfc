import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { OutputSpec, ParameterSpec } from '@comfyrelay/core';
import {
  checkWorkflowFile,
  type DetectedBinding,
  type WorkflowFileReport,
  type WorkflowProblem,
} from '@comfyrelay/plugin-folder';
import { command } from '../command.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { RefusedError, UsageError } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';
import { writeTo, type CliIO } from '../io.js';
import { fetchObjectInfo, type ObjectInfoSource } from '../objectInfo.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import { simulatorCatalogue } from '../run/nodeCatalogue.js';
import { didYouMean } from '@comfyrelay/core';

export type { ObjectInfoSource } from '../objectInfo.js';

export const WORKFLOW_USAGE = `Usage: comfyrelay workflow check <workflow.json> [options]

Checks a workflow exported with ComfyUI's "Export (API)", with its manifest
(<name>.manifest.json beside it, or a "comfyrelay" key inside), the way the bot loads it
from its workflow folder. It shows the parameters found (name → node.input, default),
the outputs, what a chat command would miss, and every problem in plain words.

Options:
      --comfy URL   check against this ComfyUI's /object_info: node classes, required
                    inputs, limits, models (default: COMFYUI_URL). Without a server it is
                    checked against the simulator's catalogue of core ComfyUI classes, and
                    what that cannot tell (custom nodes, model names) is listed as not checked
      --json        one JSON object on stdout
  -h, --help        show this help

Exit status: 0 when no problem makes the workflow unusable, 1 when one does, 2 for usage
errors and a file that cannot be read.
`;

/** What `--json` prints. */
export interface WorkflowCheckOutput {
  file: string;
  usable: boolean;
  id: string | null;
  title: string | null;
  description: string | null;
  manifest: string | null;
  /** Every server tried, in order; empty when none was given. */
  comfy: ObjectInfoSource[];
  /** What the classes were checked against: a server's /object_info, or the simulator's catalogue (offline). */
  checkedAgainst: 'server' | 'simulator-catalogue';
  /** What could not be checked offline (classes the catalogue lacks), in words; empty against a server. */
  notChecked: string[];
  parameters: (DetectedBinding & Omit<ParameterSpec, 'bind' | 'name' | 'type' | 'default'>)[];
  outputs: OutputSpec[];
  missing: string[];
  problems: WorkflowProblem[];
}

/** `comfyrelay workflow <subcommand>`: only `check` for now. */
export const workflowCommand = command('workflow', WORKFLOW_USAGE, async (argv, io) => {
  const [subcommand, ...rest] = argv;
  if (subcommand === 'help') {
    await writeTo(io.stdout, WORKFLOW_USAGE);
    return 0;
  }
  if (subcommand === undefined)
    throw new UsageError('which subcommand? Try: comfyrelay workflow check <workflow.json>');
  if (subcommand !== 'check') {
    const hint = didYouMean(subcommand, ['check']);
    throw new UsageError(
      `unknown subcommand "${subcommand}"${hint ? `; ${hint}` : ''} (there is: check)`,
    );
  }
  return checkCommand(rest, io);
});

async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      comfy: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [given, ...extra] = positionals;
  if (given === undefined)
    throw new UsageError('which workflow? Give the path of an exported (API) workflow JSON file');
  if (extra.length > 0)
    throw new UsageError(`one workflow at a time (also got ${extra.join(' ')})`);
  const file = await workflowPath(resolve(io.cwd, given));
  const urls = comfyUrlsFrom(values.comfy, io.env, 'to check offline');

  const { objectInfo, sources } = await fetchObjectInfo(urls);
  for (const source of sources) {
    if (!source.checked) {
      io.stderr.write(
        `comfyrelay workflow check: cannot reach ComfyUI at ${source.url}: ${source.error}\n`,
      );
    }
  }
  if (urls.length > 0 && !objectInfo) {
    io.stderr.write(
      "comfyrelay workflow check: checking offline instead, against the simulator's catalogue of core ComfyUI classes\n",
    );
  }
  const report = await checkWorkflowFile(
    file,
    objectInfo
      ? { objectInfo }
      : { objectInfo: simulatorCatalogue().objectInfo, objectInfoFrom: 'reference' },
  );
  const output = toOutput(report, sources, objectInfo ? 'server' : 'simulator-catalogue');
  await writeTo(
    io.stdout,
    values.json ? `${JSON.stringify(output)}\n` : formatWorkflowCheck(output, io.cwd),
  );
  return output.usable ? 0 : 1;
}

/** A manifest given instead of its workflow means the workflow beside it. A file that cannot be read is refused. */
async function workflowPath(path: string): Promise<string> {
  const file = path.toLowerCase().endsWith('.manifest.json')
    ? `${path.slice(0, -'.manifest.json'.length)}.json`
    : path;
  let isFolder: boolean;
  try {
    isFolder = (await stat(file)).isDirectory();
  } catch (error) {
    throw new RefusedError(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `workflow file not found: ${file}`
        : `cannot read the workflow: ${describeFileProblem(error, file, 'read')}`,
    );
  }
  if (isFolder) throw new RefusedError(`${file} is a folder; give one workflow file`);
  return file;
}

function toOutput(
  report: WorkflowFileReport,
  comfy: ObjectInfoSource[],
  checkedAgainst: WorkflowCheckOutput['checkedAgainst'],
): WorkflowCheckOutput {
  const definition = report.definition;
  return {
    file: report.file,
    usable: definition !== undefined,
    id: definition?.id ?? null,
    title: definition?.title ?? null,
    description: definition?.description ?? null,
    manifest: report.manifestFile ?? null,
    comfy,
    checkedAgainst,
    notChecked: report.problems
      .filter((problem) => problem.code === 'class_not_checked')
      .map((problem) => `node ${problem.node ?? '?'} (${problem.classType ?? '?'})`),
    parameters: report.detected.map((detected) => {
      const spec = report.parameters.find((p) => p.name === detected.parameter);
      const {
        bind: _bind,
        name: _name,
        type: _type,
        default: _default,
        ...limits
      } = spec ?? ({} as Partial<ParameterSpec>);
      return { ...detected, ...limits };
    }),
    outputs: report.outputs,
    missing: report.missing,
    problems: report.problems,
  };
}

/** The report for people. */
export function formatWorkflowCheck(output: WorkflowCheckOutput, cwd = process.cwd()): string {
  const lines: string[] = [];
  const name = output.file.startsWith(`${cwd}/`) ? output.file.slice(cwd.length + 1) : output.file;
  const errors = output.problems.filter((p) => p.severity === 'error').length;
  const unchecked = output.notChecked.length;
  lines.push(
    !output.usable
      ? `${name}: NOT usable (${errors} error${errors === 1 ? '' : 's'}); the bot will skip it until they are fixed`
      : unchecked > 0
        ? `${name}: usable as far as it could be checked, as ${output.id} "${output.title}"; ${unchecked} node${unchecked === 1 ? '' : 's'} could not be checked offline: ${output.notChecked.join(', ')}`
        : `${name}: usable, as ${output.id} "${output.title}"`,
  );
  if (output.manifest)
    lines.push(
      `  manifest: ${output.manifest === output.file ? `the "comfyrelay" key inside ${basename(output.file)}` : basename(output.manifest)}`,
    );
  const checked = output.comfy.find((source) => source.checked);
  lines.push(
    checked
      ? `  checked against ComfyUI at ${checked.url}`
      : "  checked offline against the simulator's catalogue of core ComfyUI classes: custom nodes and model names were not checked (use --comfy URL to check against your server)",
  );

  lines.push(
    '',
    output.parameters.length > 0 ? `Parameters (${output.parameters.length}):` : 'Parameters: none',
  );
  const width = Math.max(0, ...output.parameters.map((p) => p.parameter.length));
  const targetWidth = Math.max(0, ...output.parameters.map((p) => target(p).length));
  for (const parameter of output.parameters) {
    const line = `  ${parameter.parameter.padEnd(width)}  ${parameter.type.padEnd(7)}  → ${target(parameter).padEnd(targetWidth)}  ${describeValue(parameter)}`;
    lines.push(line.trimEnd());
    if (parameter.note) lines.push(`  ${' '.repeat(width)}  note: ${parameter.note}`);
  }

  lines.push('', output.outputs.length > 0 ? 'Outputs:' : 'Outputs: none found');
  for (const spec of output.outputs) {
    lines.push(
      `  ${spec.node === undefined ? 'every output node' : `node ${spec.node}`}: ${spec.kind}${spec.mime ? `, ${spec.mime}` : ''}`,
    );
  }

  lines.push('', output.missing.length > 0 ? 'Missing:' : 'Missing: nothing');
  for (const missing of output.missing) lines.push(`  - ${missing}`);

  lines.push('', output.problems.length > 0 ? 'Problems:' : 'Problems: none');
  for (const problem of output.problems) lines.push(`  ${problem.severity}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}

/** `6.text (CLIPTextEncode)`, or `10.steps, 11.steps (KSamplerAdvanced)`. */
function target(parameter: DetectedBinding): string {
  return `${parameter.bind.map((b) => `${b.node}.${b.input}`).join(', ')} (${parameter.classType})`;
}

function describeValue(parameter: WorkflowCheckOutput['parameters'][number]): string {
  const parts: string[] = [];
  if (parameter.type === 'seed') parts.push('random each run unless given');
  else if (parameter.default !== undefined)
    parts.push(`default ${formatDefault(parameter.default)}`);
  if (parameter.min !== undefined || parameter.max !== undefined) {
    parts.push(
      `${parameter.min ?? '…'} to ${parameter.max ?? '…'}${parameter.multipleOf ? ` in steps of ${parameter.multipleOf}` : ''}`,
    );
  }
  if (Array.isArray(parameter.choices)) parts.push(`one of ${parameter.choices.join(', ')}`);
  else if (parameter.choices) parts.push('choices read from ComfyUI');
  if (parameter.required) parts.push('required');
  if (parameter.source === 'manifest') parts.push('from the manifest');
  return parts.join(', ');
}

function formatDefault(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 50 ? `${oneLine.slice(0, 49)}…` : oneLine);
}
