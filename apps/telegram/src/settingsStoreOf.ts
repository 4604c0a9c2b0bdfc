import type { SettingsStore } from '@comfyrelay/chat';

/** The platform's store, when it keeps per-user settings too (the SQLite one does). */
export function settingsStoreOf(store: unknown): SettingsStore | undefined {
  const candidate = store as Partial<SettingsStore> | undefined;
  return typeof candidate?.getSettings === 'function' &&
    typeof candidate.saveSettings === 'function'
    ? (candidate as SettingsStore)
    : undefined;
}
