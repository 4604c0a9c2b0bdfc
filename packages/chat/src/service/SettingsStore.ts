/**
 * Per-user defaults (aspect ratio, model, steps …) kept across restarts. `@comfyrelay/store-sqlite`
 * implements it; {@link InMemorySettingsStore} serves tests and one-shot runs.
 */
export interface SettingsStore {
  getSettings(
    platform: string,
    userId: string,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Merges `values` into what is kept (a value `undefined` removes it); returns the result. */
  saveSettings(
    platform: string,
    userId: string,
    values: Record<string, unknown>,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
}

export class InMemorySettingsStore implements SettingsStore {
  private readonly settings = new Map<string, Record<string, unknown>>();

  getSettings(platform: string, userId: string): Record<string, unknown> {
    return { ...this.settings.get(`${platform}:${userId}`) };
  }

  saveSettings(
    platform: string,
    userId: string,
    values: Record<string, unknown>,
  ): Record<string, unknown> {
    const key = `${platform}:${userId}`;
    const merged = { ...this.settings.get(key), ...values };
    for (const [name, value] of Object.entries(merged))
      if (value === undefined) delete merged[name];
    this.settings.set(key, merged);
    return { ...merged };
  }
}
