/*
 * @comfyrelay/chat: everything a chat user sees, written once for every platform. Tiered like
 * grammY's mod.ts: an adapter author reads the first part and stops; the building blocks the
 * first part is made of follow. A fake adapter for tests is in `@comfyrelay/chat/testing`.
 */

// ── For platform adapters (Discord, Telegram, the next one) ─────────────────────────────────
export type {
  Button,
  ButtonPress,
  ButtonRow,
  ChatAdapter,
  ChatTarget,
  EditBudgets,
  MessageRef,
  OutgoingFile,
  OutgoingMessage,
  Rate,
  TextRules,
} from './adapter/ChatAdapter.js';
export {
  RateLimitedError,
  isRateLimited,
  type RateLimitScope,
} from './adapter/RateLimitedError.js';
export {
  buildCommandCatalog,
  CommandCatalog,
  workflowCommand,
  type CommandCatalogOptions,
} from './catalog/buildCommandCatalog.js';
export type {
  BuiltinCommand,
  BuiltinCommandName,
  CommandOption,
  CommandOptionType,
  CommandSpec,
  WorkflowCommand,
} from './catalog/CommandSpec.js';
export { commandInput } from './catalog/commandInput.js';
export { suggestChoices } from './catalog/suggestChoices.js';
export { parseTextArguments, type TextArgumentsOptions } from './arguments/parseTextArguments.js';
export { ArgumentError } from './arguments/ArgumentError.js';
export { MessageUpdater, type MessageUpdaterOptions } from './updater/MessageUpdater.js';
export type { DeliveryJournal, FinalOutcome } from './updater/DeliveryJournal.js';
export {
  JobMessage,
  type FinalMessageBuilder,
  type FollowOptions,
  type JobMessageOutcome,
  type RelayFeed,
} from './updater/JobMessage.js';
export { buildResultMessage, type ResultMessageInput } from './results/buildResultMessage.js';
export {
  ActionCodec,
  ACTION_TOKEN_PREFIX,
  MAX_TOKEN_BYTES,
  type ActionCodecOptions,
} from './actions/ActionCodec.js';
export {
  ACTION_KINDS,
  type ActionKind,
  type ActionToken,
  type ActionTokenProblem,
  type DecodedAction,
} from './actions/ActionToken.js';
export { chatFailureOf } from './failures/chatFailureOf.js';
export {
  describeFailure,
  type DescribedFailure,
  type FailureLogLine,
} from './failures/describeFailure.js';
export type { ChatFailure, ChatFailureCode } from './failures/ChatFailure.js';
export { englishWording } from './wording/englishWording.js';
export type { ButtonWords, FailureWords, Wording } from './wording/Wording.js';

// ── Building blocks: throttling, views, results, files ──────────────────────────────────────
export {
  CallTimeoutError,
  ChatOutbox,
  type ChatOutboxOptions,
  type OutboxOutcome,
  type OutboxPriority,
  type OutboxRequest,
  type RateLimitNotice,
} from './adapter/ChatOutbox.js';
export type { CallScope } from './adapter/BudgetLedger.js';
export { systemClock, type Clock } from './adapter/Clock.js';
export {
  applyRelayEvent,
  finishWith,
  isFinished,
  jobStateOf,
  type JobState,
} from './progress/JobState.js';
export {
  buildProgressView,
  type ProgressStage,
  type ProgressView,
  type ProgressViewOptions,
} from './progress/ProgressView.js';
export { renderProgress } from './progress/renderProgress.js';
export { progressBar } from './progress/progressBar.js';
export {
  resultButtons,
  workflowActionOf,
  type ResultButtonsInput,
} from './results/resultButtons.js';
export {
  parametersText,
  parameterSummary,
  resultCaption,
  type ResultCaption,
  type ResultCaptionInput,
} from './results/resultCaption.js';
export { composeGrid, type GridImage, type GridOptions } from './results/composeGrid.js';
export { gridLayout, tileRect, type GridLayout } from './results/gridLayout.js';
export { cropTile, pickImage } from './results/pickImage.js';
export { fitOutput, type FitOptions } from './delivery/fitOutput.js';
export type { FitResult, FittedOutput, UnfittableOutput } from './delivery/FitResult.js';
export {
  assignCommandNames,
  NAME_PATTERN,
  sanitiseName,
  WELL_KNOWN_COMMAND_NAMES,
} from './catalog/commandName.js';
export { BUILTIN_COMMANDS } from './catalog/builtinCommands.js';
export { MAX_CHOICES, MAX_DESCRIPTION, MAX_OPTIONS } from './catalog/commandOptions.js';
export { bold, code, escapeText, subtle, type Markup } from './text/Markup.js';
export { byteLength, cutOnWord } from './text/cutOnWord.js';

// ── The service adapters stand on ───────────────────────────────────────────────────────────
export {
  ChatService,
  type ChatServiceOptions,
  type Invocation,
  type Reply,
  type Suggestion,
} from './service/ChatService.js';
export { DeliveryNotes, NOTE_KEEP_MS, type DeliveryNote } from './service/DeliveryNotes.js';
export type { Requester } from './service/Requester.js';
export { AccessPolicy, type AccessOptions } from './service/AccessPolicy.js';
export { InMemorySettingsStore, type SettingsStore } from './service/SettingsStore.js';
export { shortId } from './service/BuiltinCommands.js';
