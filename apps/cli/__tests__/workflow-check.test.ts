import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowCommand, type WorkflowCheckOutput } from '../src/commands/workflowCheck.js';
import { tempDir, testIO } from './helpers/capture.js';
import { closedPort } from './helpers/net.js';

/** A text-to-image workflow every class of which the simulator has. */
const txt2img = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 156680208700286,
      steps: 20,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
    _meta: { title: 'KSampler' },
  },
  '4': {
    class_type: 'CheckpointLoaderSimple',
    inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' },
    _meta: { title: 'Load Checkpoint' },
  },
  '5': {
    class_type: 'EmptyLatentImage',
    inputs: { width: 512, height: 512, batch_size: 1 },
    _meta: { title: 'Empty Latent Image' },
  },
  '6': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'a lighthouse at dawn', clip: ['4', 1] },
    _meta: { title: 'Positive' },
  },
  '7': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'text, watermark', clip: ['4', 1] },
    _meta: { title: 'Negative' },
  },
  '8': {
    class_type: 'VAEDecode',
    inputs: { samples: ['3', 0], vae: ['4', 2] },
    _meta: { title: 'VAE Decode' },
  },
  '9': {
    class_type: 'SaveImage',
    inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] },
    _meta: { title: 'Save Image' },
  },
};

/** The same with a custom node (Impact Pack's face detailer) between decode and save: no plain ComfyUI has it. */
const withCustomNode = {
  ...txt2img,
  '9': { ...txt2img['9'], inputs: { filename_prefix: 'ComfyUI', images: ['10', 0] } },
  '10': {
    class_type: 'FaceDetailer',
    inputs: {
      guide_size: 512,
      seed: 1,
      steps: 20,
      cfg: 8,
      denoise: 0.5,
      image: ['8', 0],
      model: ['4', 0],
      clip: ['4', 1],
      vae: ['4', 2],
    },
    _meta: { title: 'Face fix' },
  },
};

let sim: ComfySimulator;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1' });
  dir = await tempDir('comfyrelay-workflow-check-');
  await writeFile(join(dir.path, 'portrait.json'), JSON.stringify(txt2img, null, 2));
  await writeFile(
    join(dir.path, 'portrait.manifest.json'),
    JSON.stringify({ title: 'Portrait', parameters: { steps: { max: 40 }, cfg: false } }),
  );
  await writeFile(join(dir.path, 'sharpened.json'), JSON.stringify(withCustomNode, null, 2));
  await writeFile(join(dir.path, 'broken.json'), '{ "3": { "class_type": ');
});

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

async function check(args: string[], env: Record<string, string | undefined> = {}) {
  const io = testIO({ cwd: dir.path, env });
  const code = await workflowCommand(['check', ...args], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('comfyrelay workflow check', () => {
  it('a good workflow with its manifest, checked against the server: parameters, outputs, exit 0', async () => {
    const { code, stdout, stderr } = await check(['portrait.json', '--comfy', sim.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('portrait.json: usable, as custom.portrait "Portrait"');
    expect(stdout).toContain('  manifest: portrait.manifest.json');
    expect(stdout).toContain(`  checked against ComfyUI at ${sim.url}`);
    expect(stdout).toMatch(
      /^ {2}prompt +string +→ 6\.text \(CLIPTextEncode\) +default "a lighthouse at dawn", required$/m,
    );
    expect(stdout).toMatch(
      /^ {2}negative_prompt +string +→ 7\.text \(CLIPTextEncode\) +default "text, watermark"$/m,
    );
    expect(stdout).toMatch(
      /^ {2}seed +seed +→ 3\.seed \(KSampler\) +random each run unless given$/m,
    );
    expect(stdout).toMatch(
      /^ {2}steps +integer +→ 3\.steps \(KSampler\) +default 20, 1 to 40, from the manifest$/m,
    );
    expect(stdout).toMatch(
      /^ {2}sampler +choice +→ 3\.sampler_name \(KSampler\) +default "euler", choices read from ComfyUI$/m,
    );
    expect(stdout).toMatch(
      /^ {2}width +integer +→ 5\.width \(EmptyLatentImage\) +default 512, 16 to 16384 in steps of 8$/m,
    );
    expect(stdout).not.toMatch(/^ {2}cfg /m);
    expect(stdout).toContain('Outputs:\n  node 9: image, image/png');
    expect(stdout).toContain('Missing: nothing');
    expect(stdout).toContain('Problems: none');
  });

  it('--json, with the server from COMFYUI_URL', async () => {
    const { code, stdout } = await check(['portrait.json', '--json'], { COMFYUI_URL: sim.url });
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as WorkflowCheckOutput;
    expect(output).toMatchObject({
      file: join(dir.path, 'portrait.json'),
      usable: true,
      id: 'custom.portrait',
      title: 'Portrait',
      manifest: join(dir.path, 'portrait.manifest.json'),
      comfy: [{ url: sim.url, checked: true }],
      outputs: [{ node: '9', kind: 'image', mime: 'image/png' }],
      missing: [],
      problems: [],
    });
    expect(output.parameters.find((p) => p.parameter === 'scheduler')).toMatchObject({
      type: 'choice',
      bind: [{ node: '3', input: 'scheduler' }],
      classType: 'KSampler',
      default: 'normal',
      choices: { classType: 'KSampler', input: 'scheduler' },
      source: 'detected',
    });
  });

  it('an unknown node class: named with its node, exit 1', async () => {
    const { code, stdout } = await check(['sharpened.json', '--comfy', sim.url]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'sharpened.json: NOT usable (1 error); the bot will skip it until they are fixed',
    );
    expect(stdout).toContain(
      '  error: node 10 (FaceDetailer "Face fix") uses the node class "FaceDetailer", which this ComfyUI server does not have; install the custom node that provides it, or replace the node',
    );
    // Still shows what it found, so the operator sees the whole picture at once.
    expect(stdout).toMatch(/^ {2}prompt +string +→ 6\.text/m);

    const json = JSON.parse(
      (await check(['sharpened.json', '--comfy', sim.url, '--json'])).stdout,
    ) as WorkflowCheckOutput;
    expect(json).toMatchObject({
      usable: false,
      id: null,
      problems: [{ code: 'unknown_class', node: '10', classType: 'FaceDetailer' }],
    });
  });

  it('an unreachable server: says so and checks offline, naming what it could not check', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await check(['sharpened.json', '--comfy', url]);
    expect(stderr).toBe(
      `comfyrelay workflow check: cannot reach ComfyUI at ${url}: connection refused (nothing is listening there)\n` +
        "comfyrelay workflow check: checking offline instead, against the simulator's catalogue of core ComfyUI classes\n",
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      'sharpened.json: usable as far as it could be checked, as custom.sharpened "Sharpened"; 1 node could not be checked offline: node 10 (FaceDetailer)',
    );
    expect(stdout).toContain(
      "  checked offline against the simulator's catalogue of core ComfyUI classes: custom nodes and model names were not checked (use --comfy URL to check against your server)",
    );
    expect(stdout).toMatch(
      / {2}warning: node 10 \(FaceDetailer "Face fix"\) uses the node class "FaceDetailer", which is not one of the core ComfyUI classes known offline, so it could not be checked/,
    );
  });

  it('offline, a core class missing a required input is an error, not "usable"', async () => {
    const broken = structuredClone(txt2img) as Record<string, { inputs: Record<string, unknown> }>;
    delete broken['3']?.inputs['steps'];
    await writeFile(join(dir.path, 'no-steps.json'), JSON.stringify(broken));
    const { code, stdout } = await check(['no-steps.json', '--json']);
    expect(code).toBe(1);
    const output = JSON.parse(stdout) as WorkflowCheckOutput;
    expect(output).toMatchObject({
      usable: false,
      checkedAgainst: 'simulator-catalogue',
      notChecked: [],
      problems: [{ code: 'required_input_missing', node: '3', input: 'steps' }],
    });
  });

  it('a broken file is a problem (exit 1); a missing file or bad arguments are usage errors (exit 2)', async () => {
    const broken = await check(['broken.json']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/ {2}error: the file is not valid JSON \(/);

    const missing = await check(['nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `comfyrelay workflow: workflow file not found: ${join(dir.path, 'nope.json')}`,
    );

    expect((await check([])).code).toBe(2);
    expect((await check(['a.json', 'b.json'])).code).toBe(2);
    const io = testIO();
    expect(await workflowCommand(['lint', 'x.json'], io)).toBe(2);
    expect(io.stderr.text).toContain('unknown subcommand "lint" (there is: check)');
    const help = testIO();
    expect(await workflowCommand(['--help'], help)).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: comfyrelay workflow check <workflow\.json>/);
  });

  it('given the manifest, checks the workflow beside it', async () => {
    const { code, stdout } = await check(['portrait.manifest.json']);
    expect(code).toBe(0);
    expect(stdout).toContain('portrait.json: usable, as custom.portrait "Portrait"');
  });
});
