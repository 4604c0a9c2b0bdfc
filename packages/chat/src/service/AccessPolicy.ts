import type { Requester } from './Requester.js';

export interface AccessOptions {
  /** Chats (channels, groups) where the bot answers; empty or unset: everywhere. */
  allowedChats?: readonly string[];
  /** Roles allowed to generate; empty or unset: everyone. Admins always may. */
  allowedRoles?: readonly string[];
  /** Admins by user id: they go first, have no limits, may cancel and delete anyone's jobs. */
  adminUsers?: readonly string[];
  /** Admins by role. */
  adminRoles?: readonly string[];
  /** Only the requester (and admins) may press the follow-up buttons of a result (default: anyone). */
  followUpsForRequesterOnly?: boolean;
}

/** Who may do what, from the operator's configuration. */
export class AccessPolicy {
  private readonly allowedChats: ReadonlySet<string>;
  private readonly allowedRoles: ReadonlySet<string>;
  private readonly adminUsers: ReadonlySet<string>;
  private readonly adminRoles: ReadonlySet<string>;

  constructor(private readonly options: AccessOptions = {}) {
    this.allowedChats = new Set(options.allowedChats ?? []);
    this.allowedRoles = new Set(options.allowedRoles ?? []);
    this.adminUsers = new Set(options.adminUsers ?? []);
    this.adminRoles = new Set(options.adminRoles ?? []);
  }

  isAdmin(requester: Requester): boolean {
    return (
      this.adminUsers.has(requester.userId) ||
      (requester.roles ?? []).some((role) => this.adminRoles.has(role))
    );
  }

  /** Whether the bot answers in this chat at all. */
  answersIn(chatId: string): boolean {
    return this.allowedChats.size === 0 || this.allowedChats.has(chatId);
  }

  /** Whether this person may start generations here. */
  mayGenerate(requester: Requester): boolean {
    if (this.isAdmin(requester)) return true;
    if (!this.answersIn(requester.chatId)) return false;
    return (
      this.allowedRoles.size === 0 ||
      (requester.roles ?? []).some((role) => this.allowedRoles.has(role))
    );
  }

  /** Cancel or delete a job: its requester, or an admin. */
  mayManage(
    requester: Requester,
    owner: { platform?: string; userId?: string } | undefined,
  ): boolean {
    if (this.isAdmin(requester)) return true;
    return owner?.userId === requester.userId && owner.platform === requester.platform;
  }

  /** Press a result's follow-up buttons. */
  mayFollowUp(
    requester: Requester,
    owner: { platform?: string; userId?: string } | undefined,
  ): boolean {
    if (!this.options.followUpsForRequesterOnly) return this.mayGenerate(requester);
    return this.mayManage(requester, owner);
  }

  /** The roles core puts first and exempts from limits (see `scheduling.adminRoles`). */
  static readonly ADMIN_ROLE = 'comfyrelay:admin';
}
