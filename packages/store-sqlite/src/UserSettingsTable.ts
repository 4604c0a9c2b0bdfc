import type Database from 'better-sqlite3';

export type UserSettings = Record<string, unknown>;

/** The `user_settings` table: one JSON object of preferences per platform user. */
export class UserSettingsTable {
  private readonly select: Database.Statement<[string, string], string>;
  private readonly upsert: Database.Statement<[string, string, string, number]>;
  private readonly merge: Database.Transaction<
    (platform: string, userId: string, values: UserSettings) => UserSettings
  >;

  constructor(db: Database.Database) {
    this.select = db
      .prepare<[string, string], string>(
        'SELECT settings FROM user_settings WHERE platform = ? AND user_id = ?',
      )
      .pluck();
    this.upsert = db.prepare(
      `INSERT INTO user_settings (platform, user_id, settings, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET
         settings = excluded.settings, updated_at = excluded.updated_at`,
    );
    // Read and write in one transaction: another process saving the same user's settings at
    // the same time cannot lose either change.
    this.merge = db.transaction((platform: string, userId: string, values: UserSettings) => {
      const json = JSON.stringify({ ...this.get(platform, userId), ...values });
      this.upsert.run(platform, userId, json, Date.now());
      return JSON.parse(json) as UserSettings;
    });
  }

  get(platform: string, userId: string): UserSettings {
    const json = this.select.get(platform, userId);
    return json === undefined ? {} : (JSON.parse(json) as UserSettings);
  }

  save(platform: string, userId: string, values: UserSettings): UserSettings {
    return this.merge.immediate(platform, userId, values);
  }
}
