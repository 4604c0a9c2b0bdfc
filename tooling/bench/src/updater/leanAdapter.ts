import type {
  ChatAdapter,
  ChatTarget,
  EditBudgets,
  MessageRef,
  OutgoingMessage,
  TextRules,
} from '@comfyrelay/chat';

/**
 * A platform that answers at once and keeps nothing: what the updater holds per job can be
 * weighed without a fake platform's own records (every message version) in the heap.
 */
export class LeanAdapter implements ChatAdapter {
  readonly platform = 'lean';
  calls = 0;
  private nextId = 1;

  constructor(
    readonly rules: TextRules,
    readonly editBudgets: EditBudgets,
  ) {}

  uploadLimit(): number {
    return 10 * 1024 * 1024;
  }

  async send(target: ChatTarget, _message: OutgoingMessage): Promise<MessageRef> {
    this.calls++;
    return { target, messageId: String(this.nextId++) };
  }

  async edit(_message: MessageRef, _content: OutgoingMessage): Promise<void> {
    this.calls++;
  }

  async editMedia(message: MessageRef, _content: OutgoingMessage): Promise<MessageRef> {
    this.calls++;
    return message;
  }

  async delete(_message: MessageRef): Promise<void> {
    this.calls++;
  }

  async answerButton(): Promise<void> {}
}
