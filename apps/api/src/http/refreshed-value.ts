/**
 * A value read in the background at most once per `maxAgeMs`: readers get the last value at once
 * (O(1)), and a read older than that starts one refresh that they do not wait for. Only the very
 * first read waits, so the first scrape is not empty. A failed refresh keeps the last value.
 */
export class RefreshedValue<T> {
  private value: T;
  private readAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    initial: T,
    private readonly maxAgeMs: number,
  ) {
    this.value = initial;
  }

  async get(): Promise<T> {
    if (this.readAt === 0) await this.refresh();
    else if (Date.now() - this.readAt >= this.maxAgeMs) void this.refresh();
    return this.value;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.load()
      .then((value) => {
        this.value = value;
      })
      .catch(() => undefined)
      .finally(() => {
        this.readAt = Date.now();
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
