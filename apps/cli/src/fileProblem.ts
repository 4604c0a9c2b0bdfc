/** What was being done to a path when the system said no. */
export type FileAction = 'read' | 'write' | 'create';

/**
 * A file system refusal as a sentence about `path`, never the raw code ("EISDIR: illegal
 * operation on a directory, read"): "… is a folder, not a file".
 */
export function describeFileProblem(error: unknown, path: string, action: FileAction): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return action === 'create'
        ? `${path} cannot be created there (a folder above it does not exist or takes no new folders)`
        : `${path} does not exist`;
    case 'EISDIR':
      return `${path} is a folder, not a file`;
    case 'ENOTDIR':
      return `part of ${path} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `you have no permission to ${action === 'write' ? 'write into' : action} ${path}`;
    case 'EROFS':
      return `${path} is on a read-only disk`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk holding ${path} is full`;
    case 'ENAMETOOLONG':
      return `the path ${path} is too long`;
    case 'ELOOP':
      return `${path} is a chain of links that never ends`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many files are open to ${action} ${path}; close some programs and try again`;
    case 'EBUSY':
      return `${path} is in use by another program`;
    case 'EEXIST':
      return `${path} already exists`;
    case 'EIO':
      return `the disk could not ${action} ${path} (an input/output failure)`;
    default:
      return `the system would not let comfyrelay ${action} ${path}`;
  }
}
