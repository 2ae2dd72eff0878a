/** Pause before attempt `n` (1 = the first retry): 0.5 s doubling up to 5 s. */
export function waitDelayMs(attempt: number): number {
  return Math.min(5000, 500 * 2 ** Math.min(attempt - 1, 10));
}

/**
 * Calls `check` until it returns true, with back-off. Says once that it is waiting (and again every
 * 30 s), and once when the wait is over: a service that is still starting, or briefly out, is
 * waited for instead of failing `pnpm start`.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  log: (message: string) => void,
): Promise<void> {
  const started = Date.now();
  let lastSaid = 0;
  for (let attempt = 1; ; attempt++) {
    if (await check()) {
      if (attempt > 1) log(`${what} answers now (waited ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return;
    }
    if (Date.now() - lastSaid >= 30_000) {
      log(attempt === 1 ? `${what} does not answer yet; waiting for it` : `still waiting for ${what}`);
      lastSaid = Date.now();
    }
    await new Promise((r) => setTimeout(r, waitDelayMs(attempt)));
  }
}
