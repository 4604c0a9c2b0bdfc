import type { BackendStatus, ComfyRelay } from '@comfyrelay/core';
import { choicesIn } from '@comfyrelay/core/protocol';

/** The model files a ComfyUI server offers, by kind. */
export type ModelLists = Record<string, string[]>;

export interface BackendFacts {
  version: string | undefined;
  models: ModelLists;
  /** Why some of it could not be read. */
  problems: string[];
}

/** Where each kind of model file is listed in `/object_info`. */
const MODEL_SOURCES: Record<string, { classType: string; input: string }> = {
  checkpoints: { classType: 'CheckpointLoaderSimple', input: 'ckpt_name' },
  loras: { classType: 'LoraLoader', input: 'lora_name' },
  diffusionModels: { classType: 'UNETLoader', input: 'unet_name' },
  vaes: { classType: 'VAELoader', input: 'vae_name' },
  textEncoders: { classType: 'CLIPLoader', input: 'clip_name' },
  upscaleModels: { classType: 'UpscaleModelLoader', input: 'model_name' },
};

/**
 * A backend's version and model files, read once and again each time its socket opens (a
 * restarted server may have other models). Both are asked through the relay, with the server's
 * credentials (a server behind auth answers them too). Reads never throw: what failed is named
 * in `problems`.
 */
export class BackendDetails {
  readonly #relay: ComfyRelay;
  readonly #facts = new Map<string, Promise<BackendFacts>>();

  constructor(relay: ComfyRelay) {
    this.#relay = relay;
  }

  factsOf(backend: BackendStatus): Promise<BackendFacts> {
    const cached = this.#facts.get(backend.id);
    if (cached) return cached;
    const facts = this.#read(backend).then((read) => {
      // A failed read is not kept: the next request tries again.
      if (read.problems.length > 0 && this.#facts.get(backend.id) === facts)
        this.#facts.delete(backend.id);
      return read;
    });
    this.#facts.set(backend.id, facts);
    return facts;
  }

  /** Forget what was read (the server reconnected): the next request reads it again. */
  invalidate(backendId: string): void {
    this.#facts.delete(backendId);
  }

  async #read(backend: BackendStatus): Promise<BackendFacts> {
    const problems: string[] = [];
    const [version, lists] = await Promise.all([
      this.#version(backend.id).catch((error: unknown) => {
        problems.push(`version: ${messageOf(error)}`);
        return undefined;
      }),
      Promise.all(
        Object.entries(MODEL_SOURCES).map(async ([kind, source]) => {
          try {
            const info = await this.#relay.objectInfo({
              classType: source.classType,
              backend: backend.id,
            });
            return [kind, choicesIn(info, source)] as const;
          } catch (error) {
            problems.push(`${kind}: ${messageOf(error)}`);
            return [kind, undefined] as const;
          }
        }),
      ),
    ]);
    const models: ModelLists = {};
    for (const [kind, list] of lists) if (list) models[kind] = list;
    return { version, models, problems };
  }

  async #version(backendId: string): Promise<string | undefined> {
    const stats = await this.#relay.systemStats(backendId);
    return stats.system.comfyui_version;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
