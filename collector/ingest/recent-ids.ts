/**
 * The event ids acknowledged lately, so a station's resend is dropped. The
 * window is a time (`windowMs`) and a count (`capacity`): an id is forgotten
 * when it is older than the window or when newer ids push it out.
 */
export class RecentIds {
  /** id → when it was acknowledged (epoch ms); Maps iterate in insertion order, oldest first. */
  private readonly ids = new Map<string, number>();
  /**
   * @param capacity how many ids to remember at most
   * @param windowMs how long an id is remembered, ms
   */
  constructor(
    private readonly capacity: number,
    private readonly windowMs: number = Number.POSITIVE_INFINITY,
  ) {}

  /** True when `id` was acknowledged within the window before `now`. */
  has(id: string, now: number = Number.NEGATIVE_INFINITY): boolean {
    const at = this.ids.get(id);
    return at !== undefined && (now === Number.NEGATIVE_INFINITY || at >= now - this.windowMs);
  }

  /** Remembers `id` as acknowledged at `at` (epoch ms). */
  add(id: string, at = 0): void {
    // Re-inserting keeps the order of insertion equal to the order of time.
    this.ids.delete(id);
    this.ids.set(id, at);
    this.evict(at);
  }

  /**
   * Remembers every id of a batch as acknowledged at `at`: the same as
   * {@link add} for each in turn (recent-ids.test.ts compares both), with one
   * pass over the oldest ids instead of one per id.
   */
  addAll(ids: Iterable<string>, at = 0): void {
    let added = false;
    for (const id of ids) {
      this.ids.delete(id);
      this.ids.set(id, at);
      added = true;
    }
    // No id, no add: nothing is forgotten either.
    if (added) this.evict(at);
  }

  /** Forgets the oldest ids while there are too many or they left the window before `at`. */
  private evict(at: number): void {
    for (const [oldest, oldestAt] of this.ids) {
      if (this.ids.size <= this.capacity && oldestAt >= at - this.windowMs) break;
      this.ids.delete(oldest);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}
