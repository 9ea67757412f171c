/** Keeps the last `capacity` items, oldest first: memory stays bounded however long it runs. */
export class RecentList<T> {
  private readonly items: T[] = [];

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  toArray(): readonly T[] {
    return [...this.items];
  }

  clear(): void {
    this.items.length = 0;
  }
}
