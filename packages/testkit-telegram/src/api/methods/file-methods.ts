import type { TelegramFile } from '../../types.js';
import { badRequest } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';

export const getFile: MethodDefinition = {
  name: 'getFile',
  handler: ({ params, state }) => {
    const fileId = params.string('file_id') ?? '';
    if (fileId === '') throw badRequest('file_id not specified');
    const file = state.files.get(fileId);
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > state.limits.downloadBytes) throw badRequest('file is too big');
    const result: TelegramFile = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.bytes.length,
      file_path: file.file_path,
    };
    return result;
  },
};
