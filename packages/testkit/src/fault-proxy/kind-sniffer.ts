import type { ConnectionKind } from './types.js';

const HEAD_END = '\r\n\r\n';
// Same order of magnitude as Node's own header size limit; past it this is not a request we know.
const MAX_HEAD_BYTES = 64 * 1024;
const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/\d(\.\d)?$/;

/** Watches the first bytes a client sends and decides, once, what kind of connection it is. */
export class KindSniffer {
  private head = '';
  private decided = false;

  /** Returns the kind when this chunk completes the decision, otherwise undefined. */
  feed(chunk: Buffer): ConnectionKind | undefined {
    if (this.decided) return undefined;
    // The end marker may straddle two chunks, so resume the search a little before the new bytes.
    const searchFrom = Math.max(0, this.head.length - HEAD_END.length + 1);
    this.head += chunk.toString('latin1');
    const end = this.head.indexOf(HEAD_END, searchFrom);
    if (end !== -1) return this.decide(classifyRequestHead(this.head.slice(0, end)));
    if (this.head.length > MAX_HEAD_BYTES) return this.decide('unknown');
    return undefined;
  }

  private decide(kind: ConnectionKind): ConnectionKind {
    this.decided = true;
    this.head = '';
    return kind;
  }
}

/** Classifies a request head (request line and headers, without the blank line). */
export function classifyRequestHead(head: string): ConnectionKind {
  const [requestLine = '', ...headerLines] = head.split('\r\n');
  if (!REQUEST_LINE.test(requestLine)) return 'unknown';
  return headerLines.some(asksForWebSocket) ? 'websocket' : 'http';
}

function asksForWebSocket(headerLine: string): boolean {
  const colon = headerLine.indexOf(':');
  if (colon === -1) return false;
  if (headerLine.slice(0, colon).trim().toLowerCase() !== 'upgrade') return false;
  return headerLine
    .slice(colon + 1)
    .split(',')
    .some((protocol) => protocol.trim().toLowerCase() === 'websocket');
}
