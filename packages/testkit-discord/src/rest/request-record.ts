import type { UploadedFileSummary } from '../state/interaction-record.js';

/** One HTTP request the fake served. */
export interface RequestRecord {
  id: number;
  /** When it arrived. */
  at: number;
  method: string;
  /** Without the /api/v10 prefix: '/channels/123/messages'. */
  path: string;
  query: string;
  /** The route template, undefined when no route matched. */
  route: string | undefined;
  bucket: string | undefined;
  status: number;
  /** The parsed JSON body (or payload_json of a multipart body). */
  json: unknown;
  files: UploadedFileSummary[];
  /** The Discord error code of an error answer. */
  errorCode: number | undefined;
  durationMs: number;
}
