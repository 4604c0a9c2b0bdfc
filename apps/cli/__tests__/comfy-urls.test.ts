import { describe, expect, it } from 'vitest';
import { closestMatches, comfyUrlsFrom } from '../src/index.js';

describe('the ComfyUI servers a command is given', () => {
  it('none at all means the simulator; given ones are normalized', () => {
    expect(comfyUrlsFrom(undefined, {})).toEqual([]);
    expect(comfyUrlsFrom(undefined, { COMFYUI_URL: 'gpu-box:8188/' })).toEqual([
      'http://gpu-box:8188',
    ]);
    expect(comfyUrlsFrom(' https://a.example/comfy/ , 10.0.0.2:8188', {})).toEqual([
      'https://a.example/comfy',
      'http://10.0.0.2:8188',
    ]);
    expect(comfyUrlsFrom('http://[::1]:8188', { COMFYUI_URL: 'ignored:1' })).toEqual([
      'http://[::1]:8188',
    ]);
  });

  it('an empty or malformed one is refused, never replaced by the simulator', () => {
    expect(() => comfyUrlsFrom('', {})).toThrow(/^--comfy is empty/);
    expect(() => comfyUrlsFrom('  ', {})).toThrow(/^--comfy is empty/);
    expect(() => comfyUrlsFrom(undefined, { COMFYUI_URL: '' })).toThrow(/^COMFYUI_URL is empty/);
    expect(() => comfyUrlsFrom('htp:/oops', {})).toThrow(/"htp:\/oops" is not a ComfyUI URL/);
    expect(() => comfyUrlsFrom('http:/host:8188', {})).toThrow(/is not a ComfyUI URL/);
    expect(() => comfyUrlsFrom('127.0.0.1:0', {})).toThrow(/has port 0; a port is 1 to 65535/);
    expect(() => comfyUrlsFrom('localhost:6000', {})).toThrow(
      /port 6000 is one that web clients refuse/,
    );
  });
});

describe('closest names', () => {
  it('offers what is a few edits away or starts the same, best first', () => {
    expect(closestMatches('stepz', ['seed', 'steps', 'cfg'])).toEqual(['steps']);
    expect(closestMatches('gen', ['generate', 'workflows', 'run'])).toEqual(['generate']);
    expect(closestMatches('chekc', ['check'])).toEqual(['check']);
    expect(closestMatches('colour', ['seed', 'steps', 'delay'])).toEqual([]);
  });
});
