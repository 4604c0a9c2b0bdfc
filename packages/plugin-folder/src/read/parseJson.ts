/** JSON.parse that reports instead of throwing, and ignores the byte-order mark some editors add. */
export function parseJson(
  text: string,
): { ok: true; data: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, data: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
