const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID's 16 bytes. Throws a TypeError for anything else. */
export function uuidToBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new TypeError(`"${uuid}" is not a UUID`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** 16 bytes as a lower-case UUID. */
export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
