/** The event ids acknowledged lately, so a station's resend is dropped. */
export class RecentIds {
  private readonly ids = new Set<string>();
  /** @param capacity how many ids to remember; the oldest are forgotten first. */
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // Sets iterate in insertion order: the first is the oldest.
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}
