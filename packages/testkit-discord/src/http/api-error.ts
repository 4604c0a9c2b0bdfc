/** Discord's error body: `{message, code}` plus a nested `errors` tree for form errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export interface FieldError {
  /** Dotted path into the body, numbers for array indexes: 'options.0.name'; '' for the body. */
  path: string;
  code: string;
  message: string;
}

/** 400 Invalid Form Body with Discord's `{field: {_errors: [...]}}` tree. */
export function invalidFormBody(fieldErrors: FieldError[]): ApiError {
  const errors: Record<string, unknown> = {};
  for (const { path, code, message } of fieldErrors) {
    let node = errors;
    for (const key of path === '' ? [] : path.split('.')) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const list = (node['_errors'] ??= []) as unknown[];
    list.push({ code, message });
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}

export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  invalidApiVersion: () => new ApiError(400, 50041, 'Invalid API version provided'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownCommand: () => new ApiError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  entityTooLarge: () => new ApiError(413, 40005, 'Request entity too large'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () =>
    new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
};
