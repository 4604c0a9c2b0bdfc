import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function splitHost(hostPort: string): { hostname: string; port: string | undefined } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  return { hostname: match?.[1] ?? hostPort, port: match?.[2] };
}

/**
 * ComfyUI's origin_only_middleware: on a loopback Host, a request whose Origin names another
 * host gets 403, which stops web pages from queueing prompts. Node clients send no Origin.
 */
export function isForbiddenOrigin(headers: IncomingHttpHeaders): boolean {
  const host = headers.host?.toLowerCase();
  const origin = headers.origin;
  if (!host || !origin) return false;
  const netloc = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)?.[1]?.toLowerCase() ?? '';
  const hostParts = splitHost(host);
  const originParts = splitHost(netloc);
  if (!isLoopback(hostParts.hostname)) return false;
  // Without a port on one side, compare hostnames only (ComfyUI's allowance for odd browsers).
  const hostSide = originParts.port === undefined ? hostParts.hostname : host;
  const originSide = hostParts.port === undefined ? originParts.hostname : netloc;
  if (!hostSide || !originSide) return false;
  return hostSide !== originSide;
}
