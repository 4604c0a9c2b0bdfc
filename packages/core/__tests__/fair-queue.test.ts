import { describe, expect, it } from 'vitest';
import { FairQueue, type QueuedJob } from '../src/scheduling/FairQueue.js';

interface TestJob extends QueuedJob {
  model?: string;
}

function job(id: string, requester = id.replace(/\d+$/, ''), priority = 1): TestJob {
  return { id, requester, priority };
}

/** Queues `count` jobs for `requester`, ids `${requester}1`… */
function queueMany(queue: FairQueue<TestJob>, requester: string, count: number, priority = 1) {
  for (let i = 1; i <= count; i++) queue.enqueue(job(`${requester}${i}`, requester, priority));
}

function drain(queue: FairQueue<TestJob>): string[] {
  const ids: string[] = [];
  for (let next = queue.pick(); next; next = queue.pick()) ids.push(next.id);
  return ids;
}

const ids = (jobs: readonly QueuedJob[]) => jobs.map((queued) => queued.id);

describe('FairQueue: who goes next', () => {
  it('takes requesters in turn, each one’s own jobs in arrival order', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 3);
    queueMany(queue, 'b', 2);
    queueMany(queue, 'c', 1);
    expect(drain(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(queue.size).toBe(0);
    expect(queue.pick()).toBeUndefined();
  });

  it('serves a newcomer within 2 picks when one user queued 20 before', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 20);
    queue.enqueue(job('b1'));
    const picked = [queue.pick()?.id, queue.pick()?.id];
    expect(picked).toContain('b1');
  });

  it('serves a newcomer within as many picks as there are requesters waiting, at any moment', () => {
    const queue = new FairQueue<TestJob>();
    const sizes = { a: 20, b: 3, c: 7, d: 1, e: 12 };
    for (const [requester, count] of Object.entries(sizes)) queueMany(queue, requester, count);
    for (let warm = 0; warm < 3; warm++) queue.pick(); // the rotation is mid-way, not at its start
    const waiting = queue.requesters().length + 1;
    queue.enqueue(job('newcomer1'));
    const picked = Array.from({ length: waiting }, () => queue.pick()?.id);
    expect(picked).toContain('newcomer1');
  });

  it('sends a requester whose queue emptied to the back when they come again', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 1);
    queueMany(queue, 'b', 2);
    queueMany(queue, 'c', 2);
    expect(queue.pick()?.id).toBe('a1');
    queue.enqueue(job('a2'));
    expect(drain(queue)).toEqual(['b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('runs the highest priority class first (0 = admins), fair within each class', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'user', 3, 1);
    queueMany(queue, 'bulk', 2, 2);
    queueMany(queue, 'admin', 2, 0);
    queueMany(queue, 'root', 1, 0);
    expect(drain(queue)).toEqual([
      'admin1',
      'root1',
      'admin2',
      'user1',
      'user2',
      'user3',
      'bulk1',
      'bulk2',
    ]);
  });

  it('keeps one user’s jobs of different priorities in their own classes', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue(job('x1', 'x', 2));
    queue.enqueue(job('x2', 'x', 0));
    queue.enqueue(job('y1', 'y', 1));
    expect(queue.sizeOf('x')).toBe(2);
    expect(drain(queue)).toEqual(['x2', 'y1', 'x1']);
    expect(queue.sizeOf('x')).toBe(0);
  });
});

describe('FairQueue: cancelling a waiting job', () => {
  it('removes it and returns it; nobody’s turn changes', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 2);
    queueMany(queue, 'b', 2);
    queueMany(queue, 'c', 1);
    expect(queue.remove('b1')?.id).toBe('b1');
    expect(queue.has('b1')).toBe(false);
    expect(queue.remove('b1')).toBeUndefined();
    expect(queue.remove('nope')).toBeUndefined();
    expect(drain(queue)).toEqual(['a1', 'b2', 'c1', 'a2']);
  });

  it('takes a requester out of the rotation when their last job goes', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 2);
    queueMany(queue, 'b', 1);
    queue.remove('b1');
    expect(queue.requesters()).toEqual(['a']);
    queue.enqueue(job('b2'));
    expect(drain(queue)).toEqual(['a1', 'b2', 'a2']);
  });

  it('forgets an emptied priority class', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue(job('admin1', 'admin', 0));
    queueMany(queue, 'u', 1, 1);
    queue.remove('admin1');
    expect(queue.order().map((queued) => queued.priority)).toEqual([1]);
    queue.enqueue(job('admin2', 'admin', 0));
    expect(drain(queue)).toEqual(['admin2', 'u1']);
  });
});

describe('FairQueue: pick(accept) for jobs no free backend can take', () => {
  it('takes the next job in fair order, and the skipped requester keeps its turn', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 2);
    queueMany(queue, 'b', 2);
    queueMany(queue, 'c', 2);
    expect(queue.pick((candidate) => candidate.requester !== 'a')?.id).toBe('b1');
    expect(queue.order().map((queued) => queued.id)).toEqual(['a1', 'c1', 'b2', 'a2', 'c2']);
    expect(queue.pick()?.id).toBe('a1');
  });

  it('reaches a requester’s later job when their first one cannot run', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue({ ...job('a1'), model: 'flux' });
    queue.enqueue({ ...job('a2'), model: 'sd15' });
    queue.enqueue({ ...job('b1'), model: 'flux' });
    expect(queue.pick((candidate) => candidate.model === 'sd15')?.id).toBe('a2');
    expect(ids(queue.order())).toEqual(['b1', 'a1']);
  });

  it('falls through to a lower class when nothing in the higher one is accepted', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue({ ...job('admin1', 'admin', 0), model: 'flux' });
    queue.enqueue({ ...job('u1', 'u', 1), model: 'sd15' });
    expect(queue.pick((candidate) => candidate.model === 'sd15')?.id).toBe('u1');
    expect(ids(queue.order())).toEqual(['admin1']);
  });

  it('changes nothing when no job is accepted', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 2);
    queueMany(queue, 'b', 1);
    const before = ids(queue.order());
    expect(queue.pick(() => false)).toBeUndefined();
    expect(ids(queue.order())).toEqual(before);
    expect(queue.size).toBe(3);
  });

  it('asks about candidates in fair order, no more than it must', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 3);
    queueMany(queue, 'b', 3);
    const asked: string[] = [];
    queue.pick((candidate) => {
      asked.push(candidate.id);
      return candidate.id === 'a2';
    });
    expect(asked).toEqual(['a1', 'b1', 'a2']);
    asked.length = 0;
    queue.pick((candidate) => (asked.push(candidate.id), true));
    expect(asked).toEqual(['b1']);
  });

  it('refuses changes made from inside accept', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 2);
    expect(() => queue.pick(() => queue.remove('a2') !== undefined)).toThrow(/must not change/);
    expect(() => queue.pick(() => !!queue.enqueue(job('b1')))).toThrow(/must not change/);
    expect(ids(queue.order())).toEqual(['a1', 'a2']);
    expect(queue.pick()?.id).toBe('a1'); // and the queue is usable afterwards
  });
});

describe('FairQueue: positions', () => {
  it('lists the order pick() would follow, and each job’s position in it', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 3);
    queueMany(queue, 'b', 1);
    queueMany(queue, 'c', 2);
    queue.enqueue(job('admin1', 'admin', 0));
    const order = ids(queue.order());
    expect(order).toEqual(['admin1', 'a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    expect(order.map((id) => queue.positionOf(id))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(queue.positionOf('missing')).toBeUndefined();
    expect(drain(queue)).toEqual(order);
  });
});

describe('FairQueue: bookkeeping and restarts', () => {
  it('counts jobs in total, per requester, and lists who waits', () => {
    const queue = new FairQueue<TestJob>();
    queueMany(queue, 'a', 3);
    queue.enqueue(job('b1', 'b', 0));
    expect(queue.size).toBe(4);
    expect(queue.sizeOf('a')).toBe(3);
    expect(queue.sizeOf('b')).toBe(1);
    expect(queue.sizeOf('z')).toBe(0);
    expect(queue.requesters().sort()).toEqual(['a', 'b']);
    expect(queue.get('a2')?.requester).toBe('a');
    queue.pick();
    queue.remove('a3');
    expect(queue.requesters()).toEqual(['a']);
    expect(queue.sizeOf('a')).toBe(2);
  });

  it('refuses a job whose id is already waiting, or whose priority is not a number', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue(job('a1'));
    expect(() => queue.enqueue(job('a1'))).toThrow(/already queued/);
    expect(() => queue.enqueue(job('b1', 'b', Number.NaN))).toThrow(RangeError);
    expect(queue.size).toBe(1);
  });

  it('stamps arrival order on jobs, and keeps a seq it was given', () => {
    const queue = new FairQueue<TestJob>();
    const first = queue.enqueue(job('a1'));
    const second = queue.enqueue(job('b1'));
    const given = queue.enqueue({ ...job('c1'), seq: 41 });
    const after = queue.enqueue(job('d1'));
    expect([first.seq, second.seq, given.seq, after.seq]).toEqual([0, 1, 41, 42]);
  });

  it('restores saved jobs after a restart in their original order', () => {
    const before = new FairQueue<TestJob>();
    queueMany(before, 'a', 3);
    queueMany(before, 'b', 2);
    before.enqueue(job('admin1', 'admin', 0));
    queueMany(before, 'c', 1);
    const saved = JSON.parse(JSON.stringify(before.order())) as TestJob[];

    const after = new FairQueue<TestJob>();
    after.restore([...saved].reverse());
    expect(ids(after.order())).toEqual(ids(before.order()));
    expect(after.enqueue(job('d1')).seq).toBe(7);
  });

  it('restores jobs without a seq after the others, in the order given', () => {
    const queue = new FairQueue<TestJob>();
    queue.restore([job('a1'), { ...job('b1'), seq: 5 }, job('a2'), { ...job('a0'), seq: 2 }]);
    expect(ids(queue.order())).toEqual(['a0', 'b1', 'a1', 'a2']);
    expect(queue.get('a2')?.seq).toBe(7);
  });

  it('restores nothing when one saved job clashes', () => {
    const queue = new FairQueue<TestJob>();
    queue.enqueue(job('a1'));
    expect(() =>
      queue.restore([
        { ...job('b1'), seq: 0 },
        { ...job('a1'), seq: 1 },
      ]),
    ).toThrow(/already queued/);
    expect(() =>
      queue.restore([
        { ...job('c1'), seq: 0 },
        { ...job('c1'), seq: 1 },
      ]),
    ).toThrow(/given twice/);
    expect(ids(queue.order())).toEqual(['a1']);
  });
});

describe('FairQueue at 100,000 jobs from 1,000 requesters', () => {
  const REQUESTERS = 1_000;
  const PER_REQUESTER = 100;
  const name = (r: number) => `user${String(r).padStart(4, '0')}`;
  const idOf = (r: number, k: number) => `${name(r)}#${k}`;

  function bigQueue(): FairQueue<TestJob> {
    const queue = new FairQueue<TestJob>();
    // Each user queues their whole batch at once, one user after another: the worst case for a
    // plain FIFO, where the last user would wait behind 99,900 jobs.
    for (let r = 0; r < REQUESTERS; r++) {
      for (let k = 0; k < PER_REQUESTER; k++) queue.enqueue(job(idOf(r, k), name(r)));
    }
    return queue;
  }

  it('orders every job by rounds of turns', () => {
    const queue = bigQueue();
    expect(queue.size).toBe(REQUESTERS * PER_REQUESTER);
    expect(queue.sizeOf(name(500))).toBe(PER_REQUESTER);
    const order = queue.order();
    expect(order).toHaveLength(REQUESTERS * PER_REQUESTER);
    for (const index of [0, 1, 999, 1_000, 1_001, 54_321, 99_998, 99_999]) {
      const round = Math.floor(index / REQUESTERS);
      expect(order[index]?.id).toBe(idOf(index % REQUESTERS, round));
    }
    expect(queue.positionOf(idOf(999, 0))).toBe(1_000);
    expect(queue.positionOf(idOf(0, 99))).toBe(99_001);
  });

  it('picks, cancels and admits newcomers in fair order', () => {
    const queue = bigQueue();
    const expected = ids(queue.order().slice(0, 2_500));
    const picked = Array.from({ length: 2_500 }, () => queue.pick()?.id);
    expect(picked).toEqual(expected);

    // Cancel the rest of one user's jobs in the middle of the queue.
    for (let k = 2; k < PER_REQUESTER; k++) expect(queue.remove(idOf(700, k))).toBeDefined();
    expect(queue.sizeOf(name(700))).toBe(0);
    expect(queue.requesters()).toHaveLength(REQUESTERS - 1);

    // A newcomer is served within one turn of everyone waiting.
    queue.enqueue(job('newcomer#0', 'newcomer'));
    const waiting = queue.requesters().length;
    expect(queue.positionOf('newcomer#0')).toBeLessThanOrEqual(waiting);
    let picks = 0;
    while (queue.pick()?.id !== 'newcomer#0') picks++;
    expect(picks + 1).toBeLessThanOrEqual(waiting);
    expect(queue.size).toBe(REQUESTERS * PER_REQUESTER - 2_500 - (PER_REQUESTER - 2) - picks);
  });

  it('asks accept about one candidate when it takes the first, however long the queue', () => {
    const queue = bigQueue();
    let asked = 0;
    queue.pick(() => (asked++, true));
    expect(asked).toBe(1);
    // Passing over 10 users' first jobs costs 11 questions, not 100,000.
    asked = 0;
    const taken = queue.pick((candidate) => (asked++, candidate.requester >= name(11)));
    expect(taken?.id).toBe(idOf(11, 0));
    expect(asked).toBe(11);
  });
});
