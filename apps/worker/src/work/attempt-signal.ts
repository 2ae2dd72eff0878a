/**
 * The AbortSignal a handler gets: fires on the attempt's timeout or when any of `sources` fires
 * (shutdown, cancel). Unlike `AbortSignal.any([AbortSignal.timeout(ms), ...])` it lets go of its
 * timer and of its listeners on the long-lived shutdown signal as soon as the attempt ends:
 * those stayed alive for the whole timeout (10 minutes by default) after every finished job.
 */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (event: Event): void => {
    this.controller.abort((event.target as AbortSignal).reason);
  };
  timedOut = false;

  constructor(
    timeoutMs: number,
    private readonly sources: readonly AbortSignal[],
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException("attempt timed out", "TimeoutError"));
    }, timeoutMs);
    this.timer.unref();
    for (const source of sources) {
      if (source.aborted) this.controller.abort(source.reason);
      else source.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The attempt is over: drop the timer and the listeners. */
  dispose(): void {
    clearTimeout(this.timer);
    for (const source of this.sources) source.removeEventListener("abort", this.onAbort);
  }
}
