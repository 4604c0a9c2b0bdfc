import type { SimulatorOptions } from '@comfyrelay/comfyui-sim';
import type { GenerationRecord, Plugin } from '@comfyrelay/core';
import {
  pngSize,
  startRelayFixture,
  type HttpCall,
  type RelayFixture,
  type TestGeneration,
} from '@comfyrelay/testkit';
import { expect } from 'vitest';
import { imagePlugin } from '../../src/index.js';

export type ImageFixture = RelayFixture;

/** A simulator on a free port and a started relay with the image plugin, recording every event. */
export function startImageFixture(
  options: { plugin?: Plugin; others?: Plugin[]; sim?: SimulatorOptions } = {},
): Promise<ImageFixture> {
  return startRelayFixture({
    plugins: [options.plugin ?? imagePlugin, ...(options.others ?? [])],
    ...(options.sim ? { sim: options.sim } : {}),
  });
}

export interface FinishedImage {
  generation: TestGeneration;
  record: GenerationRecord;
  png: Buffer;
  width: number;
  height: number;
}

/** Waits for a generation to succeed and reads its first output, which must be a PNG. */
export async function finishedImage(
  fixture: ImageFixture,
  generation: TestGeneration,
): Promise<FinishedImage> {
  const record = await generation.done;
  expect(record.error).toBeUndefined();
  expect(record.status).toBe('succeeded');
  const output = record.outputs?.[0];
  expect(output?.kind).toBe('image');
  expect(output?.mime).toBe('image/png');
  const png = await fixture.relay.readOutput(output!);
  const size = pngSize(png);
  return { generation, record, png, ...size };
}

export function posts(fixture: ImageFixture): HttpCall[] {
  return fixture.http.filter((call) => call.method === 'POST');
}
