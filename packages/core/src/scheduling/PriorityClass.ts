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
 * A lane that was served its last job keeps its place until its turn comes round again, so a
 * requester who asks again within the round is no newcomer (see {@link PriorityClass}).
 */
type Ghost<J> = Lane<J> & { jobs: { length: 0 } };

/**
 * The waiting jobs of one priority: a FIFO lane per requester, and a rotation of the lanes that
 * says whose turn it is. A requester new to the round joins the front, behind the other
 * newcomers not yet served: everyone already in the rotation has had a turn, so a newcomer goes
 * next (user A's 20 jobs never keep user B's one behind A's third). A lane goes to the back when
 * served; served its last job, it stays in the rotation, empty, until its turn comes round (so
 * asking again within the round is no way to jump the line), then leaves. Every operation is
 * O(1) amortised except `fairOrder`, which is lazy.
 */
export class PriorityClass<J> {
  readonly #lanes = new Map<string, Lane<J>>();
  readonly #rotation = new LinkedList<Lane<J>>();
  /** The last of the newcomers at the front of the rotation, not served yet. */
  #lastNewcomer: Lane<J> | undefined;
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
      this.#rotation.insertAfter(this.#lastNewcomer, lane);
      this.#lastNewcomer = lane;
    }
    this.#size++;
    return lane.jobs.push({ job, lane, prev: undefined, next: undefined });
  }

  /** Takes a job out; `served` sends its requester to the back of the rotation. */
  delete(slot: Slot<J>, served: boolean): void {
    const lane = slot.lane;
    lane.jobs.remove(slot);
    this.#size--;
    // Served or gone, it is no longer a newcomer: the ones before it (if any) still are.
    if (lane === this.#lastNewcomer && (served || lane.jobs.length === 0))
      this.#lastNewcomer = lane.prev;
    if (served) this.#rotation.moveToBack(lane);
    else if (lane.jobs.length === 0) this.#leave(lane);
  }

  /** Lanes in the rotation, empty ones keeping their place included. */
  get laneCount(): number {
    return this.#rotation.length;
  }

  /** The job whose turn it is. */
  first(): Slot<J> | undefined {
    this.dropIdleTurns();
    return this.#rotation.head?.jobs.head;
  }

  /**
   * Lanes at the head of the rotation with nothing waiting, in front of someone who has: their
   * turn has come round, so they leave. (While nobody waits, nobody's turn passes.)
   */
  dropIdleTurns(): void {
    if (this.#size === 0) return;
    for (let lane = this.#rotation.head; lane && lane.jobs.length === 0; lane = this.#rotation.head)
      this.#leave(lane as Ghost<J>);
  }

  #leave(lane: Lane<J>): void {
    if (lane === this.#lastNewcomer) this.#lastNewcomer = lane.prev;
    this.#rotation.remove(lane);
    this.#lanes.delete(lane.requester);
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
      if (!first) continue; // an empty lane keeping its place until its turn
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
