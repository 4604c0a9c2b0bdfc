import { InteractionRecord, type NewInteraction } from './interaction-record.js';

export class InteractionStore {
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  create(input: NewInteraction): InteractionRecord {
    const record = new InteractionRecord(input, Date.now());
    this.byId.set(record.id, record);
    this.byToken.set(record.token, record);
    return record;
  }

  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id);
  }

  withToken(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }

  all(): InteractionRecord[] {
    return [...this.byId.values()];
  }

  expireAllTokens(): void {
    for (const record of this.byId.values()) record.expireToken();
  }
}
