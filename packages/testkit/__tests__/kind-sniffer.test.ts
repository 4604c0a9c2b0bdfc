import { describe, expect, it } from 'vitest';
import { KindSniffer, classifyRequestHead } from '../src/fault-proxy/kind-sniffer.js';

const webSocketHead = 'GET /ws?clientId=a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n';

describe('KindSniffer', () => {
  it('waits for the end of the request head, even when it arrives byte by byte', () => {
    const sniffer = new KindSniffer();
    const bytes = Buffer.from(webSocketHead + 'frame bytes');
    const decisions = [...bytes].map((byte) => sniffer.feed(Buffer.from([byte])));
    const decidedAt = decisions.findIndex((kind) => kind !== undefined);
    expect(decidedAt).toBe(webSocketHead.length - 1);
    expect(decisions[decidedAt]).toBe('websocket');
    expect(decisions.filter((kind) => kind !== undefined)).toHaveLength(1);
  });

  it('gives up on a head that never ends', () => {
    const sniffer = new KindSniffer();
    expect(sniffer.feed(Buffer.alloc(32 * 1024, 'a'))).toBeUndefined();
    expect(sniffer.feed(Buffer.alloc(64 * 1024, 'a'))).toBe('unknown');
  });
});

describe('classifyRequestHead', () => {
  it.each([
    ['GET /prompt HTTP/1.1\r\nHost: x', 'http'],
    ['GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket', 'websocket'],
    ['GET /ws HTTP/1.1\r\nUPGRADE:WebSocket', 'websocket'],
    ['GET /ws HTTP/1.1\r\nupgrade: h2c, WebSocket', 'websocket'],
    ['GET / HTTP/1.1\r\nUpgrade: h2c', 'http'],
    ['GET / HTTP/1.1\r\nX-Note: Upgrade: websocket', 'http'],
    ['SSH-2.0-OpenSSH_9.6', 'unknown'],
    ['', 'unknown'],
  ])('%j is %s', (head, kind) => {
    expect(classifyRequestHead(head)).toBe(kind);
  });
});
