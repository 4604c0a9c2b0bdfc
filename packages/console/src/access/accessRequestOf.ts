import type { IncomingMessage } from 'node:http';
import type { AccessRequest } from './AccessPolicy.js';

export function accessRequestOf(request: IncomingMessage): AccessRequest {
  return {
    peerAddress: request.socket.remoteAddress,
    authorization: request.headers.authorization,
    cookie: request.headers.cookie,
    host: request.headers.host,
    origin: request.headers.origin,
  };
}
