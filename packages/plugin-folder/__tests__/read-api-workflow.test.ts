import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiWorkflow } from '@comfyrelay/core';
import { readApiWorkflow, readApiWorkflowFile, readApiWorkflowText } from '../src/index.js';

const graph: ApiWorkflow = {
  '3': { class_type: 'KSampler', inputs: { seed: 1, model: ['4', 0] } },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } },
};

const messagesOf = (result: ReturnType<typeof readApiWorkflow>) =>
  result.ok ? [] : result.problems.map((p) => p.message);

describe('readApiWorkflow', () => {
  it('reads a bare export, a {"prompt": …} wrapper, and a byte-order mark', () => {
    expect(readApiWorkflow(graph)).toEqual({ ok: true, graph });
    expect(readApiWorkflow({ prompt: graph, client_id: 'x' })).toEqual({ ok: true, graph });
    expect(readApiWorkflowText(`\uFEFF${JSON.stringify(graph)}`)).toEqual({ ok: true, graph });
  });

  it('hands back an embedded manifest apart from the nodes', () => {
    const manifest = { title: 'Mine' };
    expect(readApiWorkflow({ ...graph, comfyrelay: manifest })).toEqual({
      ok: true,
      graph,
      manifest,
    });
    expect(readApiWorkflow({ prompt: graph, comfyrelay: manifest })).toEqual({
      ok: true,
      graph,
      manifest,
    });
  });

  it('explains every way a file is not an API workflow', () => {
    expect(messagesOf(readApiWorkflow({ nodes: [], links: [] }))).toEqual([
      'this is the UI format (a saved workflow with "nodes" and "links" lists); in ComfyUI use Workflow → Export (API) and use that file',
    ]);
    expect(messagesOf(readApiWorkflow([1]))).toEqual([
      'the file does not hold a workflow (expected a JSON object of nodes, as "Export (API)" writes it)',
    ]);
    expect(messagesOf(readApiWorkflow({}))).toEqual(['the workflow holds no nodes']);
    const bad = readApiWorkflow({ '1': { inputs: {} }, '2': 'x', ...graph });
    expect(bad.ok ? [] : bad.problems.map((p) => [p.code, p.node])).toEqual([
      ['not_api_format', '1'],
      ['not_api_format', '2'],
    ]);
    expect(messagesOf(readApiWorkflowText('{'))[0]).toMatch(
      /^the file is not valid JSON \(.+\); export the workflow again with "Export \(API\)"$/,
    );
  });

  it('names the file in its messages when told its name', () => {
    const name = { name: 'flow.json' };
    expect(messagesOf(readApiWorkflowText('{', name))[0]).toMatch(/^flow\.json is not valid JSON/);
    expect(messagesOf(readApiWorkflow({ nodes: [], links: [] }, name))[0]).toMatch(
      /^flow\.json is the UI format/,
    );
    expect(messagesOf(readApiWorkflow({}, name))).toEqual(['flow.json holds no nodes']);
    expect(messagesOf(readApiWorkflow({ '1': {} }, name))[0]).toMatch(
      /^flow\.json: node 1 is not an API-format node/,
    );
  });
});

describe('readApiWorkflowFile', () => {
  let temp: string;
  beforeEach(async () => {
    temp = await mkdtemp(join(tmpdir(), 'comfyrelay-read-'));
  });
  afterEach(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('reads a file', async () => {
    const file = join(temp, 'flow.json');
    await writeFile(file, JSON.stringify({ prompt: graph }));
    expect(await readApiWorkflowFile(file)).toEqual({ ok: true, graph });
  });

  it('a missing file, a folder: plain words, never an errno', async () => {
    const missing = join(temp, 'gone.json');
    expect(await readApiWorkflowFile(missing)).toEqual({
      ok: false,
      notFound: true,
      problems: [
        { code: 'unreadable', severity: 'error', message: `cannot read ${missing}: no such file` },
      ],
    });
    const file = join(temp, 'flow.json');
    await writeFile(file, JSON.stringify(graph));
    const underFile = await readApiWorkflowFile(join(file, 'below.json'));
    expect(underFile.ok ? undefined : underFile.notFound).toBe(true);

    const folder = await readApiWorkflowFile(temp);
    expect(folder.ok ? undefined : folder.notFound).toBeUndefined();
    expect(messagesOf(folder)).toEqual([`cannot read ${temp}: it is a folder, not a file`]);
  });

  it.skipIf(process.getuid?.() === 0)('a file it may not read: permission denied', async () => {
    const locked = join(temp, 'locked.json');
    await writeFile(locked, JSON.stringify(graph));
    await chmod(locked, 0o000);
    expect(messagesOf(await readApiWorkflowFile(locked))).toEqual([
      `cannot read ${locked}: permission denied`,
    ]);
  });
});
