export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** A minimal multipart/form-data parser: enough for browsers, curl, undici's FormData and form-data. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let cursor = body.indexOf(delimiter);
  while (cursor >= 0) {
    cursor += delimiter.length;
    if (body.subarray(cursor, cursor + 2).toString() === '--') break;
    if (body.subarray(cursor, cursor + 2).toString() === '\r\n') cursor += 2;
    const headerEnd = body.indexOf('\r\n\r\n', cursor);
    if (headerEnd < 0) break;
    const headers = parseHeaders(body.subarray(cursor, headerEnd).toString('utf8'));
    const contentStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
    if (next < 0) break;
    const disposition = parseDisposition(headers.get('content-disposition') ?? '');
    if (disposition.name !== undefined) {
      parts.push({
        name: disposition.name,
        filename: disposition.filename,
        contentType: headers.get('content-type'),
        data: body.subarray(contentStart, next),
      });
    }
    cursor = next + 2;
  }
  return parts;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parseDisposition(value: string): {
  name: string | undefined;
  filename: string | undefined;
} {
  const params = new Map<string, string>();
  for (const match of value.matchAll(/;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = (match[1] ?? '').toLowerCase();
    const raw = (match[2] ?? '').trim();
    params.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  const extended = params.get('filename*');
  const filename = extended ? decodeExtended(extended) : params.get('filename');
  return { name: params.get('name'), filename };
}

/** RFC 5987: utf-8''percent%20encoded */
function decodeExtended(value: string): string {
  const match = /^[^']*'[^']*'(.*)$/.exec(value);
  try {
    return decodeURIComponent(match?.[1] ?? value);
  } catch {
    return value;
  }
}
