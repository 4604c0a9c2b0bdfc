import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type { SimulatorOverrides } from './io.js';

/** ComfyUI's own default port. */
export const COMFYUI_DEFAULT_PORT = 8188;

export interface SimulatorRequest extends SimulatorOverrides {
  port: number;
  host?: string;
}

export async function startSimulator(request: SimulatorRequest): Promise<ComfySimulator> {
  return ComfySimulator.start({
    port: request.port,
    host: request.host ?? '127.0.0.1',
    ...(request.stepDelayMs !== undefined ? { stepDelayMs: request.stepDelayMs } : {}),
    ...(request.outputDir !== undefined ? { outputDir: request.outputDir } : {}),
  });
}

/** On `port` when it is free, else on any free port. */
export async function startSimulatorPreferring(request: SimulatorRequest): Promise<ComfySimulator> {
  try {
    return await startSimulator(request);
  } catch (error) {
    if (!isAddressInUse(error) || request.port === 0) throw error;
    return startSimulator({ ...request, port: 0 });
  }
}

export function isAddressInUse(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE'
  );
}
