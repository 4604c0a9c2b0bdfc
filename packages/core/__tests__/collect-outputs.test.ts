import { describe, expect, it } from 'vitest';
import { collectOutputs } from '../src/backend/collectOutputs.js';

describe('collectOutputs', () => {
  it('reports saved files with their kind and mime, preferring saved over temporary files', () => {
    const outputs = collectOutputs(
      {
        '9': { images: [{ filename: 'a_00001_.png', subfolder: '', type: 'output' }] },
        '12': { images: [{ filename: 'preview.png', subfolder: '', type: 'temp' }] },
      },
      'sim',
    );
    expect(outputs).toEqual([
      {
        nodeId: '9',
        kind: 'image',
        mime: 'image/png',
        file: { filename: 'a_00001_.png', subfolder: '', type: 'output' },
        backend: 'sim',
      },
    ]);
  });

  it('treats SaveVideo, SaveAnimatedWEBP and VideoHelperSuite outputs as animations', () => {
    const outputs = collectOutputs(
      {
        '1': {
          images: [{ filename: 'v.mp4', subfolder: 'video', type: 'output' }],
          animated: [true],
        },
        '2': { images: [{ filename: 'w.webp', subfolder: '', type: 'output' }], animated: [true] },
        '3': { gifs: [{ filename: 'h.webp', subfolder: '', type: 'output' }] },
        '4': { gifs: [{ filename: 'g.gif', subfolder: '', type: 'output' }] },
      },
      'sim',
    );
    expect(outputs.map((o) => [o.nodeId, o.kind, o.mime])).toEqual([
      ['1', 'video', 'video/mp4'],
      ['2', 'animated-image', 'image/webp'],
      ['3', 'animated-image', 'image/webp'],
      ['4', 'animated-image', 'image/gif'],
    ]);
  });

  it('keeps only the nodes a workflow declares, with the declared kind', () => {
    const outputs = collectOutputs(
      {
        '1': { images: [{ filename: 'x.png', subfolder: '', type: 'output' }] },
        '2': { images: [{ filename: 'y.png', subfolder: '', type: 'output' }] },
      },
      'sim',
      [{ node: '2', kind: 'image', mime: 'image/png' }],
    );
    expect(outputs.map((o) => o.file.filename)).toEqual(['y.png']);
  });
});
