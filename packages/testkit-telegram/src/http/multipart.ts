export interface MultipartPart {
  name: string;
  /** Present for file parts. */
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Splits a multipart/form-data body. Lenient about header spelling, since grammY writes
 * `content-disposition:form-data;name="x";filename=photo.jpg` (no spaces, unquoted filename).
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new Error('multipart boundary not found');
  position += delimiter.length;
  for (;;) {
    if (body.subarray(position, position + 2).toString() === '--') return parts;
    const headerStart = body.indexOf(CRLF, position);
    if (headerStart < 0) throw new Error('multipart part has no header');
    const headerEnd = body.indexOf(HEADER_END, headerStart);
    if (headerEnd < 0) throw new Error('multipart part header is not terminated');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd + HEADER_END.length);
    if (next < 0) throw new Error('multipart body is not terminated');
    const headers = parseHeaders(body.subarray(headerStart + CRLF.length, headerEnd).toString());
    const part = toPart(headers, body.subarray(headerEnd + HEADER_END.length, next));
    if (part) parts.push(part);
    position = next + CRLF.length + delimiter.length;
  }
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function toPart(headers: Map<string, string>, data: Buffer): MultipartPart | undefined {
  const disposition = headers.get('content-disposition');
  if (!disposition) return undefined;
  const params = dispositionParams(disposition);
  const name = params.get('name');
  if (name === undefined) return undefined;
  const part: MultipartPart = { name, data };
  const filename = params.get('filename');
  if (filename !== undefined) part.filename = filename;
  const contentType = headers.get('content-type');
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

/** `form-data; name="a"; filename=b.jpg` → {name: 'a', filename: 'b.jpg'}. */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = match[1]!.toLowerCase();
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!.trim();
    params.set(key, raw);
  }
  return params;
}
