import type { EditBudgets, Rate } from '@comfyrelay/chat';
import type { FakeCall } from '@comfyrelay/chat/testing';

export interface BudgetUse {
  budget: keyof EditBudgets;
  rate: Rate;
  /** Keys (messages, chats, groups, or the one global) that made at least one call. */
  keys: number;
  /** The most calls any one key made within any window of `rate.perMs`. */
  maxInWindow: number;
  /** Keys that reached `rate.count` in some window. */
  keysAtBudget: number;
}

/** How close the calls came to each budget: the busiest window of every key. */
export function budgetUse(
  calls: readonly FakeCall[],
  budgets: EditBudgets,
  isGroup: (chatId: string) => boolean,
): BudgetUse[] {
  const uses: BudgetUse[] = [];
  for (const budget of ['perMessage', 'perChat', 'perGroup', 'global'] as const) {
    const rate = budgets[budget];
    if (!rate) continue;
    const byKey = new Map<string, number[]>();
    for (const call of calls) {
      if (call.outcome !== 'ok') continue;
      const key = keyOf(budget, call, isGroup);
      if (key === undefined) continue;
      let times = byKey.get(key);
      if (!times) byKey.set(key, (times = []));
      times.push(call.at);
    }
    let maxInWindow = 0;
    let keysAtBudget = 0;
    for (const times of byKey.values()) {
      const busiest = busiestWindow(times, rate.perMs);
      maxInWindow = Math.max(maxInWindow, busiest);
      if (busiest >= rate.count) keysAtBudget++;
    }
    uses.push({ budget, rate, keys: byKey.size, maxInWindow, keysAtBudget });
  }
  return uses;
}

function keyOf(
  budget: keyof EditBudgets,
  call: FakeCall,
  isGroup: (chatId: string) => boolean,
): string | undefined {
  switch (budget) {
    case 'perMessage':
      return call.messageId === undefined ? undefined : `${call.chatId}:${call.messageId}`;
    case 'perChat':
      return call.chatId;
    case 'perGroup':
      return isGroup(call.chatId) ? call.chatId : undefined;
    case 'global':
      return 'global';
  }
}

/** The most times within any half-open window [t, t + perMs) (times ascending). */
function busiestWindow(times: readonly number[], perMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= perMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
