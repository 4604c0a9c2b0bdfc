import { contentTypeFor, imageSize } from '../util/media-info.js';
import { randomHex } from '../util/random-token.js';
import { nextSnowflake } from '../util/snowflake.js';
import type { ApiObject } from './api-objects.js';

export interface FakeAttachment {
  id: string;
  channelId: string;
  filename: string;
  size: number;
  contentType: string | undefined;
  /** Served by the fake's own CDN route, so a bot can download it. */
  url: string;
  width: number | undefined;
  height: number | undefined;
  description: string | undefined;
  title: string | undefined;
  ephemeral: boolean;
  /** The uploaded bytes, as the fake received them. */
  bytes: Buffer;
}

export interface NewAttachment {
  channelId: string;
  filename: string;
  bytes: Buffer;
  contentType?: string | undefined;
  description?: string | undefined;
  title?: string | undefined;
  ephemeral?: boolean;
}

/** Uploaded files, by channel and id, for the CDN route and for tests to inspect. */
export class AttachmentStore {
  private readonly byKey = new Map<string, FakeAttachment>();

  constructor(private readonly baseUrl: () => string) {}

  add(input: NewAttachment): FakeAttachment {
    const id = nextSnowflake();
    // Discord turns whitespace in file names into underscores.
    const filename = input.filename.replace(/\s+/g, '_') || 'unknown';
    const ephemeral = input.ephemeral ?? false;
    const size = imageSize(input.bytes);
    const attachment: FakeAttachment = {
      id,
      channelId: input.channelId,
      filename,
      size: input.bytes.length,
      contentType: contentTypeFor(filename, input.contentType),
      url: this.cdnUrl(input.channelId, id, filename, ephemeral),
      width: size?.width,
      height: size?.height,
      description: input.description,
      title: input.title,
      ephemeral,
      bytes: input.bytes,
    };
    this.byKey.set(`${input.channelId}/${id}`, attachment);
    return attachment;
  }

  get(channelId: string, id: string): FakeAttachment | undefined {
    return this.byKey.get(`${channelId}/${id}`);
  }

  private cdnUrl(channelId: string, id: string, filename: string, ephemeral: boolean): string {
    const now = Math.floor(Date.now() / 1000);
    const signature = `ex=${(now + 86_400).toString(16)}&is=${now.toString(16)}&hm=${randomHex(32)}&`;
    const folder = ephemeral ? 'ephemeral-attachments' : 'attachments';
    return `${this.baseUrl()}/${folder}/${channelId}/${id}/${encodeURIComponent(filename)}?${signature}`;
  }
}

export function apiAttachment(attachment: FakeAttachment): ApiObject {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.contentType !== undefined ? { content_type: attachment.contentType } : {}),
    ...(attachment.width !== undefined
      ? { width: attachment.width, height: attachment.height, placeholder_version: 1 }
      : {}),
    ...(attachment.description !== undefined ? { description: attachment.description } : {}),
    ...(attachment.title !== undefined ? { title: attachment.title } : {}),
    ...(attachment.ephemeral ? { ephemeral: true } : {}),
  };
}
