import type { FakeState } from '../../fake-state.js';
import { ApiError, Errors, invalidFormBody } from '../../http/api-error.js';
import type { ApiObject } from '../../state/api-objects.js';
import type { FakeMessage } from '../../state/fake-message.js';
import {
  CallbackType,
  InteractionType,
  type InteractionCallbackRecord,
  type InteractionRecord,
} from '../../state/interaction-record.js';
import { apiMessage } from '../../state/message-api.js';
import { InteractionMessages } from '../interaction-messages.js';
import {
  jsonObject,
  noContent,
  ok,
  type RestRequest,
  type RestResponse,
  type RestRoute,
} from '../rest-route.js';

const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionType.ApplicationCommand]: [
    CallbackType.ChannelMessageWithSource,
    CallbackType.DeferredChannelMessageWithSource,
    CallbackType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    CallbackType.ChannelMessageWithSource,
    CallbackType.DeferredChannelMessageWithSource,
    CallbackType.DeferredUpdateMessage,
    CallbackType.UpdateMessage,
    CallbackType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [
    CallbackType.ApplicationCommandAutocompleteResult,
  ],
  [InteractionType.ModalSubmit]: [
    CallbackType.ChannelMessageWithSource,
    CallbackType.DeferredChannelMessageWithSource,
    CallbackType.DeferredUpdateMessage,
    CallbackType.UpdateMessage,
  ],
};

/** POST /interactions/{id}/{token}/callback: the one initial response to an interaction. */
export function interactionCallbackRoutes(state: FakeState): RestRoute[] {
  const responses = new InteractionMessages(state);

  const handle = (request: RestRequest): RestResponse => {
    const record = state.interactions.get(request.params['interaction'] ?? '');
    const body = jsonObject(request.json);
    const type = typeof body['type'] === 'number' ? body['type'] : 0;
    const data = body['data'] === undefined ? undefined : jsonObject(body['data']);
    const withResponse = request.query.get('with_response') === 'true';
    const callback: InteractionCallbackRecord = {
      interactionId: request.params['interaction'] ?? '',
      at: Date.now(),
      type,
      data,
      files: request.files.map((f) => ({
        field: f.field,
        filename: f.filename,
        size: f.bytes.length,
        contentType: f.contentType,
      })),
      status: 0,
      accepted: false,
      error: undefined,
      withResponse,
    };
    try {
      if (!record || record.token !== request.params['token']) throw Errors.unknownInteraction();
      const message = accept(record, type, data ?? {}, request);
      callback.accepted = true;
      callback.status = withResponse ? 200 : 204;
      record.ack = callback;
      return withResponse ? ok(callbackResponse(record, type, message)) : noContent();
    } catch (error) {
      if (error instanceof ApiError) {
        callback.status = error.status;
        callback.error = { code: error.code, message: error.message };
      }
      throw error;
    } finally {
      record?.callbacks.push(callback);
      if (record) state.events.emit('interaction-callback', callback);
    }
  };

  const accept = (
    record: InteractionRecord,
    type: number,
    data: ApiObject,
    request: RestRequest,
  ): FakeMessage | undefined => {
    if (record.ack) throw Errors.alreadyAcknowledged();
    if (record.ackWindowOver(Date.now())) throw Errors.unknownInteraction();
    if (
      !(ALLOWED_CALLBACKS[record.type] ?? []).includes(type) ||
      (isUpdate(type) && !record.sourceMessageId)
    ) {
      throw invalidFormBody([
        {
          path: 'type',
          code: 'INTERACTION_RESPONSE_TYPE_INVALID',
          message: 'Interaction response type is invalid',
        },
      ]);
    }
    const body = { json: data, files: request.files, path: 'data' };
    switch (type) {
      case CallbackType.ChannelMessageWithSource:
        return responses.createOriginal(record, body, { loading: false });
      case CallbackType.DeferredChannelMessageWithSource:
        return responses.createOriginal(record, body, { loading: true });
      case CallbackType.DeferredUpdateMessage:
      case CallbackType.UpdateMessage: {
        const source = state.messages.get(record.sourceMessageId ?? '');
        if (!source || source.deleted) throw Errors.unknownMessage();
        record.originalMessageId = source.id;
        return type === CallbackType.UpdateMessage ? responses.edit(record, source, body) : source;
      }
      case CallbackType.ApplicationCommandAutocompleteResult:
        validateChoices(data);
        return undefined;
      default:
        validateModal(data);
        return undefined;
    }
  };

  const callbackResponse = (
    record: InteractionRecord,
    type: number,
    message: FakeMessage | undefined,
  ): ApiObject => ({
    interaction: {
      id: record.id,
      type: record.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: message.loading,
            response_message_ephemeral: message.ephemeral,
          }
        : {}),
    },
    resource: { type, ...(message ? { message: apiMessage(message, state.messages) } : {}) },
  });

  return [
    {
      method: 'POST',
      template: '/interactions/{interaction}/{token}/callback',
      auth: 'none',
      bucket: undefined,
      handle,
    },
  ];
}

function isUpdate(type: number): boolean {
  return type === CallbackType.DeferredUpdateMessage || type === CallbackType.UpdateMessage;
}

function validateChoices(data: ApiObject): void {
  const choices = data['choices'];
  if (!Array.isArray(choices)) {
    throw invalidFormBody([
      { path: 'data.choices', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
    ]);
  }
  if (choices.length > 25) {
    throw invalidFormBody([
      {
        path: 'data.choices',
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 25 or fewer in length.',
      },
    ]);
  }
}

function validateModal(data: ApiObject): void {
  const missing = ['custom_id', 'title', 'components'].filter((field) => data[field] === undefined);
  if (missing.length > 0) {
    throw invalidFormBody(
      missing.map((field) => ({
        path: `data.${field}`,
        code: 'BASE_TYPE_REQUIRED',
        message: 'This field is required',
      })),
    );
  }
}
