import { LinkedList, type Linked } from './LinkedList.js';

/** A waiting job, linked into its requester's lane. */
export interface Slot<J> extends Linked<Slot<J>> {
  readonly job: J;
  readonly lane: Lane<J>;
}

/** One requester's waiting jobs within one priority class, oldest first. */
export interface Lane<J> extends Linked<Lane<J>> {
  readonly requester: string;
  readonly jobs: LinkedList<Slot<J>>;
  readonly owner: PriorityClass<J>;
}

/**
 * The waiting jobs of one priority: a FIFO lane per requester, and a rotation of the lanes that
 * says whose turn it is. A lane joins the rotation at the back, goes to the back when served, and
 * leaves when it empties. Every operation is O(1) except `fairOrder`, which is lazy.
 */
export class PriorityClass<J> {
  readonly #lanes = new Map<string, Lane<J>>();
  readonly #rotation = new LinkedList<Lane<J>>();
  #size = 0;

  constructor(readonly priority: number) {}

  get size(): number {
    return this.#size;
  }

  add(requester: string, job: J): Slot<J> {
    let lane = this.#lanes.get(requester);
    if (!lane) {
      lane = { requester, jobs: new LinkedList(), owner: this, prev: undefined, next: undefined };
      this.#lanes.set(requester, lane);
      this.#rotation.push(lane);
    }
    this.#size++;
    return lane.jobs.push({ job, lane, prev: undefined, next: undefined });
  }

  /** Takes a job out; `served` sends its requester to the back of the rotation. */
  delete(slot: Slot<J>, served: boolean): void {
    const lane = slot.lane;
    lane.jobs.remove(slot);
    this.#size--;
    if (lane.jobs.length === 0) {
      this.#rotation.remove(lane);
      this.#lanes.delete(lane.requester);
    } else if (served) {
      this.#rotation.moveToBack(lane);
    }
  }

  /** The job whose turn it is. */
  first(): Slot<J> | undefined {
    return this.#rotation.head?.jobs.head;
  }

  /**
   * Every waiting job in the order it would be served: each requester's first job in rotation
   * order, then each one's second, and so on. Lazy, so a caller that stops early pays only for
   * what it read (plus the lanes it passed). Must not be resumed after the class changed.
   */
  *fairOrder(): Generator<Slot<J>, void, undefined> {
    let round: Slot<J>[] = [];
    for (let lane = this.#rotation.head; lane; lane = lane.next) {
      const first = lane.jobs.head;
      if (!first) continue; // never: an empty lane leaves the rotation
      yield first;
      if (first.next) round.push(first.next);
    }
    while (round.length > 0) {
      const next: Slot<J>[] = [];
      for (const slot of round) {
        yield slot;
        if (slot.next) next.push(slot.next);
      }
      round = next;
    }
  }
}
