import { describe, expect, it } from 'vitest';
import { decodeBinaryFrame } from '../src/connection/decodeBinaryFrame.js';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe('decodeBinaryFrame', () => {
  it('decodes an event-1 preview (no prompt id)', () => {
    const frame = decodeBinaryFrame(
      Buffer.concat([u32(1), u32(1), Buffer.from([0xff, 0xd8, 0xff])]),
    );
    expect(frame).toEqual({
      kind: 'preview',
      preview: { mime: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) },
    });
  });

  it('decodes an event-4 preview with its prompt and node', () => {
    const meta = Buffer.from(
      JSON.stringify({
        node_id: '3',
        display_node_id: '3',
        prompt_id: 'p1',
        image_type: 'image/png',
      }),
    );
    const frame = decodeBinaryFrame(
      Buffer.concat([u32(4), u32(meta.length), meta, Buffer.from([0x89, 0x50])]),
    );
    expect(frame).toEqual({
      kind: 'preview',
      preview: { mime: 'image/png', data: Buffer.from([0x89, 0x50]), promptId: 'p1', nodeId: '3' },
    });
  });

  it('decodes event-3 progress text and tolerates unknown events', () => {
    const node = Buffer.from('12');
    expect(
      decodeBinaryFrame(Buffer.concat([u32(3), u32(node.length), node, Buffer.from('hello')])),
    ).toEqual({
      kind: 'text',
      nodeId: '12',
      text: 'hello',
    });
    expect(decodeBinaryFrame(Buffer.concat([u32(9), u32(0)]))).toEqual({
      kind: 'unknown',
      event: 9,
    });
  });
});
