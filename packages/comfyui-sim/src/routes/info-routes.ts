import os from 'node:os';
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { objectInfo } from '../nodes/object-info.js';
import { objectInfoAll } from '../nodes/object-info-all.js';
import { SERVER_FEATURES } from '../server-features.js';
import type { RouteDeps } from './route-deps.js';

export const SIM_COMFYUI_VERSION = '0.8.0-sim';

export function registerInfoRoutes(router: Router, { services }: RouteDeps): void {
  const { registry, catalog } = services;

  router.add('GET', '/system_stats', ({ res }) => {
    const { host, port } = services.listenArgs();
    const ramTotal = os.totalmem();
    const ramFree = os.freemem();
    sendJson(res, 200, {
      system: {
        os: process.platform,
        ram_total: ramTotal,
        ram_free: ramFree,
        comfyui_version: SIM_COMFYUI_VERSION,
        required_frontend_version: '1.35.9',
        installed_templates_version: null,
        required_templates_version: '0.7.67',
        python_version: `3.11.2 (comfyui-sim on Node ${process.version})`,
        pytorch_version: 'sim',
        embedded_python: false,
        argv: ['main.py', '--cpu', '--listen', host, '--port', String(port)],
      },
      devices: [
        {
          name: 'cpu',
          type: 'cpu',
          index: null,
          vram_total: ramTotal,
          vram_free: ramFree,
          torch_vram_total: ramTotal,
          torch_vram_free: ramFree,
        },
      ],
    });
  });

  router.add('GET', '/features', ({ res }) => sendJson(res, 200, SERVER_FEATURES));

  router.add('GET', '/object_info', ({ res }) =>
    sendJson(res, 200, objectInfoAll(registry, catalog)),
  );

  router.add('GET', '/object_info/{node_class}', ({ params, res }) => {
    const definition = registry.get(params['node_class']);
    sendJson(
      res,
      200,
      definition ? { [definition.classType]: objectInfo(definition, catalog) } : {},
    );
  });

  const modelFolders: Record<string, () => readonly string[]> = {
    checkpoints: () => catalog.checkpoints,
    loras: () => catalog.loras,
    vae: () => catalog.vaes,
    text_encoders: () => catalog.textEncoders,
    diffusion_models: () => catalog.diffusionModels,
    clip_vision: () => catalog.clipVision,
    embeddings: () => [],
    upscale_models: () => catalog.upscaleModels,
  };
  router.add('GET', '/models', ({ res }) => sendJson(res, 200, Object.keys(modelFolders)));
  router.add('GET', '/models/{folder}', ({ params, res }) => {
    const list = modelFolders[params['folder'] ?? ''];
    if (list) sendJson(res, 200, list());
    else sendJson(res, 404, { error: 'folder not found' });
  });
  router.add('GET', '/embeddings', ({ res }) => sendJson(res, 200, []));
  router.add('GET', '/extensions', ({ res }) => sendJson(res, 200, []));
}
