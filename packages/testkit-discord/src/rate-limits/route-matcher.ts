/** What a matcher sees of a request. */
export interface MatchableRequest {
  method: string;
  /** The path without the /api/v10 prefix: '/channels/123/messages'. */
  path: string;
  /** The route template: '/channels/{channel}/messages'. */
  route: string;
  bucket: string | undefined;
}

/**
 * A bucket name ('message-edit'), a route template ('/channels/{channel}/messages/{message}'),
 * the same with a method ('PATCH /channels/{channel}/messages/{message}'), a RegExp tested
 * against 'METHOD /path', or a predicate.
 */
export type RouteMatcher = string | RegExp | ((request: MatchableRequest) => boolean);

export function matchesRoute(matcher: RouteMatcher, request: MatchableRequest): boolean {
  if (typeof matcher === 'function') return matcher(request);
  if (matcher instanceof RegExp) return matcher.test(`${request.method} ${request.path}`);
  return (
    matcher === request.bucket ||
    matcher === request.route ||
    matcher === `${request.method} ${request.route}`
  );
}
