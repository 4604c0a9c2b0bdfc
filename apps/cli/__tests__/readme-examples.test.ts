import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/capture.js';
import { buildBin } from './helpers/childBin.js';

/**
 * The README's examples, as written: every `comfyrelay …` line of its `sh` blocks runs in a
 * shell, from a copy of `examples/` (so their outputs land in a temp folder), with a
 * `comfyrelay` on the PATH that is the built binary and no COMFYUI_URL (a simulator each). Its
 * transcripts (`$ comfyrelay …` followed by what it prints) must print exactly that.
 */

const appDir = fileURLToPath(new URL('..', import.meta.url));
const readme = await readFile(join(appDir, 'README.md'), 'utf8');

/** The README's fenced blocks of one language ('' for plain ones), in order. */
function blocks(language: string): string[] {
  const found: string[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of readme.split('\n')) {
    if (!line.startsWith('```')) open?.lines.push(line);
    else if (open) {
      if (open.language === language) found.push(open.lines.join('\n'));
      open = undefined;
    } else open = { language: line.slice(3).trim(), lines: [] };
  }
  return found;
}

const examples = blocks('sh')
  .flatMap((block) => block.split('\n'))
  .filter((line) => line.startsWith('comfyrelay '));
const transcripts = blocks('')
  .filter((block) => block.startsWith('$ comfyrelay '))
  .map((block) => {
    const [command = '', ...said] = block.trimEnd().split('\n');
    return { command: command.slice(2), said: said.join('\n') };
  });

let dir: Awaited<ReturnType<typeof tempDir>>;
let path: string;

beforeAll(async () => {
  await buildBin();
  dir = await tempDir('comfyrelay-readme-');
  await cp(join(appDir, 'examples'), dir.path, { recursive: true });
  const bin = join(dir.path, '.bin');
  await mkdir(bin);
  await writeFile(
    join(bin, 'comfyrelay'),
    `#!/bin/sh\nexec "${process.execPath}" "${join(appDir, 'dist/bin.js')}" "$@"\n`,
  );
  await chmod(join(bin, 'comfyrelay'), 0o755);
  path = `${bin}:${process.env['PATH'] ?? ''}`;
}, 180_000);

afterAll(async () => {
  await dir?.remove();
});

function shell(line: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], { cwd: dir.path, env: { PATH: path } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const hasJq = await new Promise<boolean>((resolve) =>
  spawn('sh', ['-c', 'command -v jq']).on('close', (status) => resolve(status === 0)),
);

describe('the README examples, as written', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect(transcripts.length).toBeGreaterThanOrEqual(1);
  });

  it.each(examples.map((line) => [line.replace(/\s+#.*$/, '')]))('%s', async (line) => {
    if (line.includes('| jq') && !hasJq) return; // jq is the reader's, not ours
    const { status, stdout, stderr } = await shell(line);
    expect(status, stderr).toBe(0);
    expect(stderr).not.toMatch(/error|refused|warning/i);
    if (line.includes('| jq')) {
      const saved = stdout.trim().split('\n');
      expect(saved).toHaveLength(4);
      for (const file of saved) expect((await stat(file)).isFile()).toBe(true);
    }
  });

  it.each(transcripts.map((t) => [t.command, t.said]))('$ %s', async (command, said) => {
    const { status, stdout, stderr } = await shell(command);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd()).toBe(said);
  });
});
