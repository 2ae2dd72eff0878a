import type pg from "pg";
import { claimDueDeliveries, recordDeliveryAttempt, type ClaimedDelivery } from "@jobstream/db";
import type { Logger, OutageReporter } from "@jobstream/runtime";
import { retryAfterFailure } from "./back-off";
import { sendDelivery, type SendOptions } from "./send-delivery";

export interface WebhookSenderOptions extends SendOptions {
  readonly pool: pg.Pool;
  readonly logger: Logger;
  readonly outages: OutageReporter;
  /** Pause between polls when nothing was due. */
  readonly pollMs: number;
  /** Deliveries sent at the same time by this process. */
  readonly concurrency: number;
  /** Waits before each attempt; see DEFAULT_RETRY_DELAYS_MS. */
  readonly retryDelaysMs: readonly number[];
  /** An endpoint whose deliveries all failed for this long is disabled. */
  readonly disableAfterMs: number;
}

/** Longer than any attempt: a claim is retaken by another sender only once its sender must be gone. */
const LEASE_MARGIN_MS = 2000;

/**
 * Sends the webhook outbox (`webhook_deliveries`, filled by a trigger when jobs finish). Any number of
 * processes may run one: claims skip each other's rows, and a claim whose sender died is retaken
 * after its lease (at least once, same `webhook-id`). Runs beside the mirror and the workers, never
 * in their path: they only pay for the trigger's insert.
 */
export class WebhookSender {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.round = this.tick()
        .catch((error: unknown) => {
          if (!this.options.outages.noteError(error)) this.options.logger.warn({ err: error }, "webhook round failed");
          return 0;
        })
        .then((sent) => {
          // A full round suggests more are due: go again at once.
          if (!this.stopped) this.timer = setTimeout(tick, sent === this.options.concurrency ? 0 : this.options.pollMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** Claims and sends one batch of due deliveries; returns how many it claimed. */
  async tick(): Promise<number> {
    const { pool, concurrency, timeoutMs } = this.options;
    const claimed = await claimDueDeliveries(pool, concurrency, timeoutMs + LEASE_MARGIN_MS);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { logger, retryDelaysMs, disableAfterMs } = this.options;
    const at = new Date();
    const result = await sendDelivery(
      { id: delivery.id, url: delivery.url, secret: delivery.secret, body: JSON.stringify(delivery.payload) },
      this.options,
    );
    const outcome =
      result.error === null
        ? { kind: "succeeded" as const }
        : retryAfterFailure(delivery.scheduleStep, retryDelaysMs, at);
    const recorded = await recordDeliveryAttempt(this.options.pool, {
      id: delivery.id,
      claimId: delivery.claimId,
      attempt: { at: at.toISOString(), ...result },
      outcome,
      disableAfterMs,
    });
    const fields = { deliveryId: delivery.id, webhookId: delivery.webhookId, ...result, outcome: outcome.kind };
    if (!recorded) logger.warn(fields, "webhook attempt not recorded: its claim was retaken");
    else if (result.error === null) logger.debug(fields, "webhook delivered");
    else logger.info(fields, "webhook attempt failed");
  }
}
