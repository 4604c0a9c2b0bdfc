import type { RequestArgs } from '../http/request-args.js';
import { PollAbandoned } from '../polling/long-poll.js';
import type { ApiCall } from '../records.js';
import type { ApiResponse } from '../types.js';
import { ApiError, NOT_FOUND } from './api-error.js';
import type { Faults } from './faults.js';
import { Described, type FakeState, type MethodDefinition } from './method-context.js';
import { Params } from './params.js';

export interface Answer {
  /** HTTP status; 0 when the client went away and nothing was written. */
  status: number;
  body: ApiResponse;
}

/**
 * Runs one Bot API call: unknown method → 404, then injected faults, flood limits and the
 * handler. Method names are case-insensitive, as in Telegram. Every call lands in `calls`.
 */
export class Dispatcher {
  readonly calls: ApiCall[] = [];
  private readonly methods = new Map<string, MethodDefinition>();

  constructor(
    definitions: MethodDefinition[],
    private readonly state: FakeState,
    private readonly faults: Faults,
  ) {
    for (const definition of definitions)
      this.methods.set(definition.name.toLowerCase(), definition);
  }

  async dispatch(methodName: string, args: RequestArgs, signal: AbortSignal): Promise<Answer> {
    const time = Date.now();
    const params = new Params(args);
    const definition = this.methods.get(methodName.toLowerCase());
    const answer = definition
      ? await this.run(definition, params, signal)
      : errorAnswer(NOT_FOUND());
    this.record(definition?.name ?? methodName, params, answer, time);
    return answer;
  }

  /** Records a call refused before it reached a method (bad token, body too large). */
  recordRefused(methodName: string, args: RequestArgs, error: ApiError): Answer {
    const answer = errorAnswer(error);
    this.record(
      this.methods.get(methodName.toLowerCase())?.name ?? methodName,
      new Params(args),
      answer,
      Date.now(),
    );
    return answer;
  }

  private async run(
    definition: MethodDefinition,
    params: Params,
    signal: AbortSignal,
  ): Promise<Answer> {
    try {
      const fault = this.faults.take(definition.name);
      if (fault) throw fault;
      const commit = this.state.flood.admit(this.floodSubject(definition, params));
      const value = definition.handler({ params, signal, state: this.state });
      // Sends are synchronous, so nothing else runs between the flood check and the count.
      const result = value instanceof Promise ? await value : value;
      commit();
      if (result instanceof Described) {
        return {
          status: 200,
          body: { ok: true, result: result.result, description: result.description },
        };
      }
      return { status: 200, body: { ok: true, result } };
    } catch (error) {
      if (error instanceof PollAbandoned || signal.aborted) {
        return { status: 0, body: { ok: false, error_code: 0, description: 'client went away' } };
      }
      if (error instanceof ApiError) return errorAnswer(error);
      const message = error instanceof Error ? error.message : String(error);
      return errorAnswer(new ApiError(500, `Internal Server Error: ${message}`));
    }
  }

  private floodSubject(definition: MethodDefinition, params: Params) {
    const chatParam = params.string('chat_id');
    const chatId =
      chatParam !== undefined && /^-?\d+$/.test(chatParam) ? Number(chatParam) : undefined;
    const type = chatId === undefined ? undefined : this.state.chats.get(chatId)?.chat.type;
    return {
      method: definition.name,
      ...(chatId !== undefined ? { chatId } : {}),
      isGroup: type === 'group' || type === 'supergroup',
      counted: definition.counted === true,
    };
  }

  private record(method: string, params: Params, answer: Answer, time: number): void {
    const call: ApiCall = {
      method,
      params: params.forLog(),
      status: answer.status,
      ok: answer.body.ok,
      time,
      answeredAt: Date.now(),
    };
    if (!answer.body.ok) call.description = answer.body.description;
    this.calls.push(call);
    this.state.events.emit('call', call);
  }
}

function errorAnswer(error: ApiError): Answer {
  const body: ApiResponse = {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
  };
  if (error.parameters) body.parameters = error.parameters;
  return { status: error.errorCode, body };
}
