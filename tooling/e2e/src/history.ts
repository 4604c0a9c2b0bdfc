/** A history entry as ComfyUI's `GET /history` lists it (the parts these suites read). */
export interface HistoryItem {
  status?: { status_str?: string; completed?: boolean };
  outputs?: Record<string, { images?: { filename: string; subfolder: string; type: string }[] }>;
}

/** Every entry of a ComfyUI server's `GET /history`, by prompt_id. */
export async function readHistory(baseUrl: string): Promise<Record<string, HistoryItem>> {
  const response = await fetch(`${baseUrl}/history`);
  if (!response.ok) throw new Error(`GET /history answered ${response.status}`);
  return (await response.json()) as Record<string, HistoryItem>;
}
