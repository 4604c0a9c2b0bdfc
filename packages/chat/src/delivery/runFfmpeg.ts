import { spawn } from 'node:child_process';

/** What ffmpeg printed on stderr and how it ended. */
export interface FfmpegRun {
  code: number | null;
  stderr: string;
}

/**
 * Runs ffmpeg to the end, or kills it when `signal` aborts (a timeout: an encode must not hang
 * a delivery). Resolves with its exit code whatever it is; rejects only when it cannot start or
 * was aborted.
 */
export function runFfmpeg(binary: string, args: readonly string[], signal: AbortSignal) {
  return new Promise<FfmpegRun>((resolve, reject) => {
    signal.throwIfAborted();
    const child = spawn(binary, ['-hide_banner', '-nostdin', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const onAbort = (): void => {
      child.kill('SIGKILL');
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 16_000) stderr += chunk;
    });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ code, stderr });
    });
  });
}

/** Duration and frame size from ffmpeg's description of an input. */
export function describeInput(stderr: string): {
  durationS?: number;
  width?: number;
  height?: number;
} {
  const info: { durationS?: number; width?: number; height?: number } = {};
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  if (duration) {
    const seconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
    if (seconds > 0) info.durationS = seconds;
  }
  const size = /Video: .*?(\d{2,5})x(\d{2,5})/.exec(stderr);
  if (size) {
    info.width = Number(size[1]);
    info.height = Number(size[2]);
  }
  return info;
}
