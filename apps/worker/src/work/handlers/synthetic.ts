import { sleep } from "../context";
import type { Handler } from "../handler-map";
import { JobError } from "../job-error";

/** Progress updates at most this often while sleeping. */
const TICK_MS = 100;
/** How far a failing attempt gets before it throws. */
const FAILING_SHARE = 0.5;

/**
 * `synthetic/work`: sleeps `durationMs` spread over the steps (honouring cancellation), reports
 * item outcomes `item-0…` (those in failItems as errors), throws on its first `failAttempts`
 * attempts, returns `{ echo: output, items }`. A failing attempt throws half-way through its work,
 * as a real failure would: its progress, items and steps stop there.
 */
export const syntheticWork: Handler<"synthetic", "work"> = async (ctx) => {
  const { input } = ctx;
  const steps = input.steps && input.steps.length > 0 ? input.steps : [null];
  const items = input.items ?? 0;
  const failing = new Set(input.failItems ?? []);
  const duration = input.durationMs ?? 0;
  const fails = ctx.attempt <= (input.failAttempts ?? 0);
  /** Share of the work this attempt gets through. */
  const stopAt = fails ? FAILING_SHARE : 1;
  ctx.setTotal(items);
  let reported = 0;
  for (let s = 0; s < steps.length && s / steps.length < stopAt; s++) {
    const name = steps[s];
    if (name !== null && name !== undefined) ctx.step(name);
    const stepStart = s / steps.length;
    const stepEnd = Math.min((s + 1) / steps.length, stopAt);
    const stepDuration = duration * (stepEnd - stepStart);
    let slept = 0;
    while (slept < stepDuration) {
      const tick = Math.min(TICK_MS, stepDuration - slept);
      await sleep(tick, ctx.signal);
      slept += tick;
      ctx.progress(100 * (stepStart + ((stepEnd - stepStart) * slept) / stepDuration), name ?? undefined);
    }
    const upTo = Math.round(stepEnd * items);
    for (; reported < upTo; reported++) {
      if (failing.has(reported))
        ctx.item(`item-${reported}`).error("synthetic_item_failure", `item ${reported} fails on purpose`);
      else ctx.item(`item-${reported}`).success({ index: reported });
    }
    ctx.progress(100 * stepEnd);
  }
  if (fails) throw new JobError("synthetic_failure", `attempt ${ctx.attempt} fails on purpose`);
  return { echo: input.output, items };
};

/** `synthetic/noop`: no work; reports `items` outcomes if asked. */
export const syntheticNoop: Handler<"synthetic", "noop"> = (ctx) => {
  const items = ctx.input.items ?? 0;
  for (let i = 0; i < items; i++) ctx.item(`item-${i}`).success({ index: i });
  return Promise.resolve({ echo: ctx.input.output, items });
};
