/** What a file's first bytes say it is. */
export function sniff(data: Buffer): 'mp4' | 'webm' | 'webp' | 'gif' | 'png' | 'unknown' {
  if (data.length >= 8 && data.toString('latin1', 4, 8) === 'ftyp') return 'mp4';
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (
    data.length >= 12 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  if (data.length >= 6 && data.toString('latin1', 0, 6) === 'GIF89a') return 'gif';
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'png';
  return 'unknown';
}
