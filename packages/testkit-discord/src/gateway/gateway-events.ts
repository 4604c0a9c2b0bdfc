export interface IdentifyRecord {
  at: number;
  sessionId: string;
  connectionId: number;
  intents: number;
  shard: [number, number];
  properties: unknown;
  compress: boolean;
}

export interface ResumeRecord {
  at: number;
  sessionId: string;
  connectionId: number;
  seq: number;
  /** false: the fake answered INVALID_SESSION. */
  accepted: boolean;
  replayed: number;
}

export interface GatewayEvents {
  identify: IdentifyRecord;
  resume: ResumeRecord;
  'gateway-connect': { connectionId: number; path: string; query: Record<string, string> };
  'gateway-close': {
    connectionId: number;
    code: number;
    byClient: boolean;
    sessionId: string | undefined;
  };
  dispatch: { sessionId: string; t: string; s: number; delivered: boolean };
  heartbeat: { connectionId: number; seq: unknown };
}
