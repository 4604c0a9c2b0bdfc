export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Entry<R> {
  method: string;
  segments: string[];
  route: R;
}

/** Templates like '/channels/{channel}/messages/{message}'; `{name}` is one path segment. */
export class Router<R extends { method: string; template: string }> {
  private readonly entries: Entry<R>[] = [];

  add(route: R): this {
    this.entries.push({ method: route.method, segments: route.template.split('/'), route });
    return this;
  }

  match(method: string, path: string): RouteMatch<R> | 'method-not-allowed' | undefined {
    const actual = path.split('/');
    let pathMatched = false;
    // Literal segments win over placeholders: '/applications/@me' before '/applications/{id}'.
    const candidates = [...this.entries].sort((a, b) => placeholders(a) - placeholders(b));
    for (const entry of candidates) {
      const params = matchSegments(entry.segments, actual);
      if (!params) continue;
      pathMatched = true;
      if (entry.method === method || (method === 'HEAD' && entry.method === 'GET')) {
        return { route: entry.route, params };
      }
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function placeholders(entry: { segments: string[] }): number {
  return entry.segments.filter((segment) => segment.startsWith('{')).length;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    // Clients may percent-encode segments: '%40original' is '@original'.
    const value = safeDecode(actual[index] ?? '');
    if (part.startsWith('{') && part.endsWith('}')) {
      if (value === '') return undefined;
      params[part.slice(1, -1)] = value;
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
