/** A binary min-heap over an array, like Python's heapq: the array is heap-ordered, not sorted. */
export class BinaryHeap<T> {
  private items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The backing array in heap order. */
  toArray(): T[] {
    return [...this.items];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Removes the first item matching `predicate`, then restores the heap. */
  removeFirst(predicate: (item: T) => boolean): T | undefined {
    const index = this.items.findIndex(predicate);
    if (index < 0) return undefined;
    const [removed] = this.items.splice(index, 1);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    return removed;
  }

  clear(): void {
    this.items = [];
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.less(this.at(child), this.at(parent))) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.items.length && this.less(this.at(left), this.at(smallest))) smallest = left;
      if (right < this.items.length && this.less(this.at(right), this.at(smallest)))
        smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }

  private at(index: number): T {
    return this.items[index] as T;
  }

  private swap(a: number, b: number): void {
    const item = this.at(a);
    this.items[a] = this.at(b);
    this.items[b] = item;
  }
}
