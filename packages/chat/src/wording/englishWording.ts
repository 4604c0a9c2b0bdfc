import type { FailureWords, Wording } from './Wording.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const plural = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A sentence ends with one full stop, whatever the detail brought. */
const sentence = (text: string): string =>
  /[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;

function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / SECOND));
  if (total < 60) return `${total} s`;
  if (total < 3600) {
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(total / 3600);
  const minutes = Math.round((total % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

function timeLeft(ms: number): string {
  if (ms < 5 * SECOND) return 'a few seconds left';
  if (ms < 55 * SECOND) return `about ${Math.round(ms / (5 * SECOND)) * 5} s left`;
  if (ms < 90 * MINUTE) return `about ${Math.max(1, Math.round(ms / MINUTE))} min left`;
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.round((ms - hours * HOUR) / (10 * MINUTE)) * 10;
  return minutes === 0 || minutes === 60
    ? `about ${hours + (minutes === 60 ? 1 : 0)} h left`
    : `about ${hours} h ${minutes} min left`;
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte', 'bytes');
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const megabytes = bytes / (1024 * 1024);
  return `${megabytes < 10 ? megabytes.toFixed(1).replace(/\.0$/, '') : Math.round(megabytes)} MB`;
}

function where(words: FailureWords): string {
  if (words.nodeClass && words.node) return `${words.nodeClass} (node ${words.node})`;
  if (words.nodeClass) return words.nodeClass;
  return words.node ? `node ${words.node}` : '';
}

function failure(words: FailureWords): string {
  const detail = words.detail;
  const at = where(words);
  switch (words.code) {
    case 'arguments':
      return sentence(capitalised(detail ?? 'those options could not be read'));
    case 'validation':
      return sentence(`Please check your options: ${detail ?? 'some of them are not valid'}`);
    case 'refused':
      return sentence(`ComfyUI refused this workflow${detail ? `: ${detail}` : ''}`);
    case 'limits':
      return sentence(
        `You have reached a limit${detail ? `: ${detail}` : ''}${
          words.retryAfterMs ? `; try again in ${duration(words.retryAfterMs)}` : ''
        }`,
      );
    case 'unavailable':
      return 'No ComfyUI server is available right now; please try again in a moment.';
    case 'unreachable':
      return 'ComfyUI could not be reached, so your generation could not finish; please try again later.';
    case 'deadline':
      return 'Your generation took too long and was stopped.';
    case 'cancelled':
      return 'Your generation was cancelled.';
    case 'interrupted':
      return `ComfyUI stopped your generation on the server${at ? ` (at ${at})` : ''}.`;
    case 'execution':
      return sentence(
        `Your generation failed${at ? ` in ${at}` : ''}${detail ? `: ${detail}` : ''}`,
      );
    case 'lost':
      return 'ComfyUI lost your generation (the server restarted or its queue was cleared); please try again.';
    case 'no-outputs':
      return 'ComfyUI finished but produced no picture or video.';
    case 'not-found':
      return sentence(capitalised(detail ?? 'there is no such job'));
    case 'too-large':
      return sentence(capitalised(detail ?? 'the file is too large for this chat'));
    case 'internal':
      return 'Something went wrong on our side; it was logged and we will look into it.';
  }
}

/** The English wording. */
export const englishWording: Wording = {
  sending: 'Sending it to ComfyUI…',
  queued: (ahead) =>
    ahead <= 0
      ? 'Yours is next'
      : `${plural(ahead, 'generation is', 'generations are')} ahead of yours`,
  starting: 'Starting…',
  running: (phase) => capitalised(phase.trim() || 'working'),
  succeeded: 'Done',
  cancelled: 'Cancelled',
  step: (step, total) => `step ${step}/${total}`,
  percent: (fraction) => `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)} %`,
  timeLeft,
  duration,
  elapsed: (ms) => `${duration(ms)} so far`,
  fileSize,
  seed: (seed) => `seed ${seed}`,
  failure,
  tooLarge: (kind, bytes, limitBytes) =>
    `The ${kind} is ${fileSize(bytes)}, more than the ${fileSize(limitBytes)} this chat accepts, and could not be made small enough.`,
  pictureTooLarge: (name, bytes, limitBytes) =>
    `The picture${name ? ` ${name}` : ''} is ${fileSize(bytes)}, more than the ${fileSize(limitBytes)} a picture may have.`,
  pictureUnreadable: (name) =>
    `The picture${name ? ` ${name}` : ''} could not be read; please send it again.`,
  originalAsFile: 'The original, as a file',
  buttons: {
    pick: (index) => `U${index + 1}`,
    variation: (index) => `V${index + 1}`,
    reroll: '🔄',
    vary: 'Vary',
    varyStrong: 'Vary (Strong)',
    varySubtle: 'Vary (Subtle)',
    upscale: 'Upscale',
    animate: '🎞 Animate',
    cancel: 'Cancel',
    delete: 'Delete',
    params: 'Parameters',
  },
  buttonExpired: (showCommand) =>
    `This button has expired; use /${showCommand} <job> to get fresh ones.`,
  unknownOption: (flag, suggestion, options) =>
    `unknown option ${flag}${suggestion ? `; did you mean ${suggestion}?` : ';'} Options: ${options.join(', ')}`,
  missingValue: (flag) => `${flag} needs a value`,
  givenTwice: (name) => `${name} is given twice`,
  noFreeText: (command, options) =>
    `/${command} takes no free text; use its options: ${options.join(', ')}`,
  notHere: 'I do not make pictures in this chat.',
  notAllowed: 'You are not allowed to start generations here.',
  notYours: 'Only the person who asked (or an admin) can do that.',
  unknownCommand: (command) =>
    `There is no command /${command.replace(/^\//, '')}; /help lists them.`,
  cancelling: 'Cancelling…',
  cancelledJob: (job) => `Cancelled ${job}.`,
  couldNotCancel: (job) => `${job} could not be cancelled: it had already finished.`,
  noSuchJob: (job) => `There is no job ${job}.`,
  noJobsOfYours: 'You have nothing in progress.',
  showWhich: 'Which job? /show <job> (the short id under a result).',
  picked: (index) => `Image ${index + 1}`,
  queueSummary: (waiting, running) =>
    `${plural(waiting, 'generation', 'generations')} waiting, ${running} running`,
  statusWord: (status) => status,
  backendLine: (id, state, load, ours) =>
    `${id}: ${state}, ${plural(load, 'prompt', 'prompts')} on its queue, ${ours} of ours`,
  noSettings: 'You have no settings yet: /settings --ar 16:9 --steps 30 sets your defaults.',
  yourSettings: 'Your defaults:',
  notASetting: (flag) => `--${flag} is not something you can set as a default.`,
};
