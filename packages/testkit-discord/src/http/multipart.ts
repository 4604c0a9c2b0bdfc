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

/** multipart/form-data as undici's FormData writes it (what @discordjs/rest sends). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let cursor = body.indexOf(delimiter);
  while (cursor >= 0) {
    cursor += delimiter.length;
    if (body.subarray(cursor, cursor + 2).toString('latin1') === '--') break;
    if (body.subarray(cursor, cursor + 2).toString('latin1') === '\r\n') cursor += 2;
    const headerEnd = body.indexOf('\r\n\r\n', cursor);
    if (headerEnd < 0) break;
    const headers = parsePartHeaders(body.subarray(cursor, headerEnd).toString('utf8'));
    const contentStart = headerEnd + 4;
    const contentEnd = body.indexOf(nextDelimiter, contentStart);
    if (contentEnd < 0) break;
    const disposition = parseDisposition(headers.get('content-disposition') ?? '');
    if (disposition.name !== undefined) {
      parts.push({
        name: disposition.name,
        filename: disposition.filename,
        contentType: headers.get('content-type'),
        data: body.subarray(contentStart, contentEnd),
      });
    }
    cursor = contentEnd + 2;
  }
  return parts;
}

function parsePartHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return headers;
}

function parseDisposition(value: string): { name?: string; filename?: string } {
  const params = new Map<string, string>();
  for (const match of value.matchAll(/;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = (match[1] ?? '').toLowerCase();
    const raw = (match[2] ?? '').trim();
    params.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  const extended = params.get('filename*');
  const filename = extended !== undefined ? decodeExtended(extended) : params.get('filename');
  const name = params.get('name');
  return {
    ...(name !== undefined ? { name } : {}),
    ...(filename !== undefined ? { filename: decodePercentEscapes(filename) } : {}),
  };
}

/** RFC 5987: utf-8''percent%20encoded */
function decodeExtended(value: string): string {
  const match = /^[^']*'[^']*'(.*)$/.exec(value);
  return decodePercentEscapes(match?.[1] ?? value);
}

/** undici percent-encodes quotes and line breaks inside quoted filenames. */
function decodePercentEscapes(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
