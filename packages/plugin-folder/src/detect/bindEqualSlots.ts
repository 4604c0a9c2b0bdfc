import { describeNode } from './describeNode.js';
import type { GraphIndex } from './GraphIndex.js';
import { slotKey, type Slot } from './literalSlot.js';

/**
 * One setting found on several nodes (two samplers' steps, base and refiner prompts): bind
 * every copy that holds the same value as the first, so they keep moving together; the ones
 * that differ keep their exported value, and the note says so.
 */
export function bindEqualSlots(
  index: GraphIndex,
  slots: readonly Slot[],
  what: string,
): { slots: Slot[]; note?: string } {
  const unique = [...new Map(slots.map((slot) => [slotKey(slot), slot])).values()];
  const first = unique[0];
  if (!first) return { slots: [] };
  const bound = unique.filter((slot) => slot.value === first.value);
  const kept = unique.filter((slot) => slot.value !== first.value);
  if (kept.length === 0) return { slots: bound };
  const others = kept
    .map((slot) => {
      const where =
        slot.node === first.node
          ? 'its input'
          : `${describeNode(slot.node, index.node(slot.node))} input`;
      return `${where} "${slot.input}" (${preview(slot.value)})`;
    })
    .join(', ');
  const one = kept.length === 1;
  return {
    slots: bound,
    note: `set on ${describeNode(first.node, index.node(first.node))} input "${first.input}"; ${others} ${one ? 'holds' : 'hold'} another ${what} and ${one ? 'keeps its' : 'keep their'} exported value (bind it in a manifest to change it too)`,
  };
}

function preview(value: Slot['value']): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
}
