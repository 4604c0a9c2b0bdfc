import { PriorityClass, type Slot } from './PriorityClass.js';

/** What the fair queue needs to know about a job. */
export interface QueuedJob {
  readonly id: string;
  /** Who asked: fairness is shared out between requesters. */
  readonly requester: string;
  /** Priority class: 0 runs first (admins), then 1, 2… */
  readonly priority: number;
  /** Arrival order, stamped by `enqueue` unless a finite one is given; persist it for `restore`. */
  seq?: number;
}

/**
 * Our own queue in front of the backends. The next job comes from the highest non-empty priority
 * class (lowest number); within a class requesters take turns (round-robin), each requester's
 * own jobs in arrival order. So a newcomer waits at most one turn of each requester with waiting
 * jobs, however many jobs they queued.
 *
 * Cost, for n waiting jobs in P non-empty priority classes (P is tiny: admins, users…):
 * `enqueue`, `remove` and `pick()` are O(1) + O(P) map and list work, independent of n;
 * `pick(accept)` is O(1) per candidate it has to look at; `order` and `positionOf` are O(n).
 */
export class FairQueue<J extends QueuedJob> {
  readonly #slots = new Map<string, Slot<J>>();
  readonly #classes = new Map<number, PriorityClass<J>>();
  /** The non-empty classes, the one that runs first first. */
  readonly #classOrder: PriorityClass<J>[] = [];
  readonly #perRequester = new Map<string, number>();
  #nextSeq = 0;
  #asking = false;

  /** Number of waiting jobs. */
  get size(): number {
    return this.#slots.size;
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  get(id: string): J | undefined {
    return this.#slots.get(id)?.job;
  }

  /** Number of waiting jobs of `requester`, all priorities together. */
  sizeOf(requester: string): number {
    return this.#perRequester.get(requester) ?? 0;
  }

  /** Everyone with a waiting job, in the order they started waiting. */
  requesters(): string[] {
    return [...this.#perRequester.keys()];
  }

  /**
   * Adds a job behind its requester's other jobs of the same priority; a requester with none
   * joins the back of that class's rotation. Stamps `job.seq` when missing, and returns the job.
   * Throws if the id is already waiting or the priority is not a finite number.
   */
  enqueue(job: J): J {
    this.#assertNotAsking();
    this.#assertAcceptable(job);
    if (!Number.isFinite(job.seq)) job.seq = this.#nextSeq;
    this.#nextSeq = Math.max(this.#nextSeq, seqOf(job) + 1);
    this.#slots.set(job.id, this.#classOf(job.priority).add(job.requester, job));
    this.#perRequester.set(job.requester, this.sizeOf(job.requester) + 1);
    return job;
  }

  /** Takes a waiting job out (it was cancelled); nobody's turn changes. */
  remove(id: string): J | undefined {
    this.#assertNotAsking();
    const slot = this.#slots.get(id);
    if (!slot) return undefined;
    this.#delete(slot, false);
    return slot.job;
  }

  /**
   * Takes the next job out, in fair order. `accept` lets the caller pass over jobs nothing can
   * run right now (e.g. they need a model only a busy server has): the next job in fair order is
   * tried instead, and the requesters passed over keep their turn. Undefined when nothing
   * waiting is accepted. `accept` must not change the queue.
   */
  pick(accept?: (job: J) => boolean): J | undefined {
    for (const priorityClass of [...this.#classOrder]) {
      priorityClass.dropIdleTurns();
      if (priorityClass.laneCount === 0) {
        this.#forget(priorityClass);
        continue;
      }
      const slot = accept ? this.#firstAccepted(priorityClass, accept) : priorityClass.first();
      if (slot) {
        this.#delete(slot, true);
        return slot.job;
      }
    }
    return undefined;
  }

  /** Every waiting job in the order `pick()` would take them if nothing else arrived. O(n). */
  order(): J[] {
    return Array.from(this.#fairOrder(), (slot) => slot.job);
  }

  /**
   * 1 for the job `pick()` takes next, 2 for the one after, …; undefined when not waiting.
   * O(n): to show every position, number the result of `order()` instead.
   */
  positionOf(id: string): number | undefined {
    const wanted = this.#slots.get(id);
    if (!wanted) return undefined;
    let position = 0;
    for (const slot of this.#fairOrder()) {
      position++;
      if (slot === wanted) break;
    }
    return position;
  }

  /**
   * Re-enqueues jobs saved before a restart, in their original order (by `seq`; jobs without
   * one after the others, as given). Each requester's jobs keep their order, and requesters take
   * turns in the order of their oldest waiting job. Throws, changing nothing, if any job would
   * make `enqueue` throw or an id is given twice.
   */
  restore(jobs: Iterable<J>): void {
    this.#assertNotAsking();
    // Infinity - Infinity is NaN: `|| 0` keeps jobs without a seq in the order given.
    const sorted = [...jobs].sort((a, b) => seqOf(a) - seqOf(b) || 0);
    const ids = new Set<string>();
    for (const job of sorted) {
      this.#assertAcceptable(job);
      if (ids.has(job.id)) throw new Error(`Job "${job.id}" is given twice`);
      ids.add(job.id);
    }
    for (const job of sorted) this.enqueue(job);
  }

  *#fairOrder(): Generator<Slot<J>, void, undefined> {
    for (const priorityClass of this.#classOrder) yield* priorityClass.fairOrder();
  }

  #firstAccepted(
    priorityClass: PriorityClass<J>,
    accept: (job: J) => boolean,
  ): Slot<J> | undefined {
    this.#asking = true;
    try {
      for (const slot of priorityClass.fairOrder()) if (accept(slot.job)) return slot;
      return undefined;
    } finally {
      this.#asking = false;
    }
  }

  #classOf(priority: number): PriorityClass<J> {
    let priorityClass = this.#classes.get(priority);
    if (!priorityClass) {
      priorityClass = new PriorityClass(priority);
      this.#classes.set(priority, priorityClass);
      const after = this.#classOrder.findIndex((other) => other.priority > priority);
      this.#classOrder.splice(after === -1 ? this.#classOrder.length : after, 0, priorityClass);
    }
    return priorityClass;
  }

  #delete(slot: Slot<J>, served: boolean): void {
    const { job, lane } = slot;
    const priorityClass = lane.owner;
    priorityClass.delete(slot, served);
    if (priorityClass.laneCount === 0) this.#forget(priorityClass);
    this.#slots.delete(job.id);
    const left = this.sizeOf(job.requester) - 1;
    if (left === 0) this.#perRequester.delete(job.requester);
    else this.#perRequester.set(job.requester, left);
  }

  #forget(priorityClass: PriorityClass<J>): void {
    this.#classes.delete(priorityClass.priority);
    this.#classOrder.splice(this.#classOrder.indexOf(priorityClass), 1);
  }

  #assertAcceptable(job: J): void {
    if (this.#slots.has(job.id)) throw new Error(`Job "${job.id}" is already queued`);
    if (!Number.isFinite(job.priority)) {
      throw new RangeError(`Job "${job.id}" has priority ${job.priority}: not a finite number`);
    }
  }

  // The fair-order walk reads links that a change made from inside `accept` would cut.
  #assertNotAsking(): void {
    if (this.#asking) throw new Error('FairQueue: accept() must not change the queue');
  }
}

function seqOf(job: QueuedJob): number {
  return job.seq ?? Number.POSITIVE_INFINITY;
}
