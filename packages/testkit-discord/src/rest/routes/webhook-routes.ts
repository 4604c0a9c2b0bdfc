import type { FakeState } from '../../fake-state.js';
import { Errors } from '../../http/api-error.js';
import { CallbackType, type InteractionRecord } from '../../state/interaction-record.js';
import { apiMessage } from '../../state/message-api.js';
import type { BucketName } from '../../rate-limits/bucket-limits.js';
import { InteractionMessages, type MessageBody } from '../interaction-messages.js';
import {
  jsonObject,
  noContent,
  ok,
  type RestRequest,
  type RestResponse,
  type RestRoute,
} from '../rest-route.js';

/** Callbacks after which the token cannot be used for messages. */
const NO_MESSAGES_AFTER = new Set<number>([
  CallbackType.ApplicationCommandAutocompleteResult,
  CallbackType.Modal,
]);

/** The webhook routes of interaction tokens: follow-ups and the original response. */
export function webhookRoutes(state: FakeState): RestRoute[] {
  const responses = new InteractionMessages(state);

  const interactionOf = ({ params }: RestRequest): InteractionRecord => {
    if (params['application'] !== state.config.applicationId) throw Errors.unknownWebhook();
    const record = state.interactions.withToken(params['token'] ?? '');
    if (!record || record.tokenExpired(Date.now())) throw Errors.invalidWebhookToken();
    return record;
  };
  const bodyOf = (request: RestRequest): MessageBody => ({
    json: jsonObject(request.json),
    files: request.files,
    path: '',
  });
  const messageRoute = (
    method: RestRoute['method'],
    ref: '@original' | '{message}',
    bucket: BucketName,
    handle: (record: InteractionRecord, request: RestRequest, messageRef: string) => RestResponse,
  ): RestRoute => ({
    method,
    template: `/webhooks/{application}/{token}/messages/${ref}`,
    auth: 'none',
    bucket,
    handle: (request) =>
      handle(interactionOf(request), request, request.params['message'] ?? '@original'),
  });

  const getMessage = (
    record: InteractionRecord,
    _request: RestRequest,
    ref: string,
  ): RestResponse => ok(apiMessage(responses.find(record, ref), state.messages));
  const editMessage = (
    record: InteractionRecord,
    request: RestRequest,
    ref: string,
  ): RestResponse => {
    const message = responses.edit(record, responses.find(record, ref), bodyOf(request));
    return ok(apiMessage(message, state.messages));
  };
  const deleteMessage = (
    record: InteractionRecord,
    _request: RestRequest,
    ref: string,
  ): RestResponse => {
    state.messages.delete(responses.find(record, ref));
    return noContent();
  };

  return [
    {
      method: 'POST',
      template: '/webhooks/{application}/{token}',
      auth: 'none',
      bucket: 'webhook-execute',
      handle: (request) => {
        const record = interactionOf(request);
        if (!record.ack || NO_MESSAGES_AFTER.has(record.ack.type)) throw Errors.unknownWebhook();
        const message = responses.createFollowUp(record, bodyOf(request));
        return request.query.get('wait') === 'true'
          ? ok(apiMessage(message, state.messages))
          : noContent();
      },
    },
    messageRoute('GET', '@original', 'webhook-original-get', getMessage),
    messageRoute('PATCH', '@original', 'webhook-original-edit', editMessage),
    messageRoute('DELETE', '@original', 'webhook-original-delete', deleteMessage),
    messageRoute('GET', '{message}', 'webhook-message-get', getMessage),
    messageRoute('PATCH', '{message}', 'webhook-message-edit', editMessage),
    messageRoute('DELETE', '{message}', 'webhook-message-delete', deleteMessage),
  ];
}
