import { badRequest } from '../api/api-error.js';
import type { CallbackAnswer } from '../records.js';

const TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';

interface QueryState {
  createdAt: number;
  answer?: CallbackAnswer;
}

/** Callback queries the test users made, each answerable once and only in time. */
export class CallbackQueries {
  private readonly queries = new Map<string, QueryState>();
  private counter = 0;

  constructor(private readonly answerTimeoutMs: number) {}

  create(userId: number): string {
    this.counter += 1;
    const id = `${BigInt(userId) * 1000003n + BigInt(this.counter)}`;
    this.queries.set(id, { createdAt: performance.now() });
    return id;
  }

  answer(id: string, details: Omit<CallbackAnswer, 'callback_query_id' | 'time'>): CallbackAnswer {
    const query = this.queries.get(id);
    if (!query || query.answer || performance.now() - query.createdAt > this.answerTimeoutMs) {
      throw badRequest(TOO_OLD);
    }
    query.answer = { callback_query_id: id, ...details, time: Date.now() };
    return query.answer;
  }

  answerOf(id: string): CallbackAnswer | undefined {
    return this.queries.get(id)?.answer;
  }
}
