import { randomHex } from '../util/random-token.js';

export interface RecordedDispatch {
  s: number;
  t: string;
  d: unknown;
  at: number;
}

export interface SessionIdentity {
  token: string;
  intents: number;
  shard: [number, number];
}

/** How many dispatches a session keeps for replay on RESUME. */
const REPLAY_BUFFER = 10_000;

/** A gateway session: survives its socket, numbers its dispatches, replays them on RESUME. */
export class GatewaySession {
  readonly id = randomHex(16);
  readonly createdAt = Date.now();
  seq = 0;
  resumable = true;
  private readonly dispatches: RecordedDispatch[] = [];

  constructor(readonly identity: SessionIdentity) {}

  record(t: string, d: unknown): RecordedDispatch {
    this.seq += 1;
    const dispatch: RecordedDispatch = { s: this.seq, t, d, at: Date.now() };
    this.dispatches.push(dispatch);
    if (this.dispatches.length > REPLAY_BUFFER) this.dispatches.shift();
    return dispatch;
  }

  /** A numbered dispatch that is not replayed later (RESUMED). */
  stamp(t: string, d: unknown): RecordedDispatch {
    this.seq += 1;
    return { s: this.seq, t, d, at: Date.now() };
  }

  /** The dispatches after `seq`, or undefined when they are no longer all buffered. */
  after(seq: number): RecordedDispatch[] | undefined {
    if (seq > this.seq) return undefined;
    const oldest = this.dispatches[0]?.s ?? this.seq + 1;
    if (seq + 1 < oldest) return undefined;
    return this.dispatches.filter((dispatch) => dispatch.s > seq);
  }
}
