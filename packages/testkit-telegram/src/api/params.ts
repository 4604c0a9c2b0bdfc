import type { RequestArgs, Upload } from '../http/request-args.js';
import { badRequest } from './api-error.js';

/** A file parameter: an upload, or a string that names a known file_id or a URL. */
export type FileRef = { kind: 'upload'; upload: Upload } | { kind: 'id-or-url'; value: string };

/**
 * Typed access to method parameters. Telegram reads every parameter as a string, and parses JSON
 * ones (reply_markup, media, …) itself; a JSON body may already hold them as objects.
 */
export class Params {
  constructor(private readonly args: RequestArgs) {}

  has(name: string): boolean {
    const value = this.args.params[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string): string | undefined {
    const value = this.args.params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  /** Like Telegram's integer parsing: garbage reads as 0. */
  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined || value === '') return undefined;
    const parsed = Number.parseInt(value, 10);
    return Number.isFinite(parsed) ? parsed : 0;
  }

  bool(name: string): boolean {
    const value = this.string(name);
    return value === 'true' || value === '1';
  }

  /** A JSON-valued parameter, or undefined when absent; `what` names it in the parse error. */
  json(name: string, what: string): unknown {
    const value = this.args.params[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }

  /** Resolves `attach://name`, a file part named like the parameter, or a plain string. */
  file(name: string): FileRef | undefined {
    const value = this.string(name);
    if (value !== undefined && value !== '') return this.fileFromValue(value);
    const upload = this.args.uploads.get(name);
    return upload ? { kind: 'upload', upload } : undefined;
  }

  /** Resolves a `media` value from inside a JSON object (InputMedia). */
  fileFromValue(value: string): FileRef | undefined {
    if (value.startsWith('attach://')) {
      const upload = this.args.uploads.get(value.slice('attach://'.length));
      return upload ? { kind: 'upload', upload } : undefined;
    }
    return { kind: 'id-or-url', value };
  }

  /** Parameters with uploads shown as `{ file, size }`, for the call log. */
  forLog(): Record<string, unknown> {
    const logged: Record<string, unknown> = { ...this.args.params };
    for (const upload of this.args.uploads.values()) {
      logged[upload.field] = { file: upload.filename, size: upload.data.length };
    }
    return logged;
  }
}
