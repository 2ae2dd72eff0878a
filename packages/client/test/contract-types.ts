// Compile-time proof (checked by `pnpm typecheck`) that the generated types are the contract's and
// the registry's: each pair must be assignable both ways.
import type * as contract from "@jobstream/contract";
import type { JobInput as RegistryInput, JobOutput as RegistryOutput } from "@jobstream/job-types";
import type { z } from "zod";
import type { jobTypes } from "@jobstream/job-types";
import type * as generated from "../src/generated/types.ts";

/** Compiles only if A and B are assignable to each other (identity functions in both directions). */
function same<A, B>(toB: (a: A) => B, toA: (b: B) => A): void {
  void toB;
  void toA;
}

same<generated.JobView, contract.JobView>(
  (a) => a,
  (b) => b,
);
same<generated.JobSummary, contract.JobSummary>(
  (a) => a,
  (b) => b,
);
same<generated.JobPage, contract.JobPage>(
  (a) => a,
  (b) => b,
);
same<generated.ItemPage, contract.ItemPage>(
  (a) => a,
  (b) => b,
);
same<generated.EventList, contract.EventList>(
  (a) => a,
  (b) => b,
);
same<generated.EnqueueAnswer, contract.EnqueueAnswer>(
  (a) => a,
  (b) => b,
);
same<generated.BatchAnswer, contract.BatchAnswer>(
  (a) => a,
  (b) => b,
);
same<generated.JobAnswer, contract.JobAnswer>(
  (a) => a,
  (b) => b,
);
same<generated.JobTypeList, contract.JobTypeList>(
  (a) => a,
  (b) => b,
);
same<generated.ErrorBody, contract.ErrorBody>(
  (a) => a,
  (b) => b,
);
same<generated.ErrorCode, contract.ErrorCode>(
  (a) => a,
  (b) => b,
);
same<generated.JobStatus, contract.JobStatusName>(
  (a) => a,
  (b) => b,
);

// Inputs are the schemas' input side (defaults optional); outputs their output side.
// `output` is a JsonValue schema typed `z.ZodType<JsonValue>`, whose input side zod widens to
// `unknown`: the generated type (JsonValue) is the stricter one, so check that direction only.
const synthetic = (
  a: generated.JobInputs["synthetic"]["work"],
): z.input<(typeof jobTypes)["synthetic"]["subtypes"]["work"]["input"]> => a;
void synthetic;
same<generated.JobInputs["import"]["csv"], z.input<(typeof jobTypes)["import"]["subtypes"]["csv"]["input"]>>(
  (a) => a,
  (b) => b,
);
same<
  generated.JobInputs["maintenance"]["cleanup"],
  z.input<(typeof jobTypes)["maintenance"]["subtypes"]["cleanup"]["input"]>
>(
  (a) => a,
  (b) => b,
);
same<generated.JobOutputs["synthetic"]["work"], RegistryOutput<"synthetic", "work">>(
  (a) => a,
  (b) => b,
);
same<generated.JobOutputs["import"]["csv"], RegistryOutput<"import", "csv">>(
  (a) => a,
  (b) => b,
);
// The registry's parsed input differs from what callers send only where defaults apply (all, here).
same<generated.JobInputs["maintenance"]["cleanup"], Partial<RegistryInput<"maintenance", "cleanup">>>(
  (a) => a,
  (b) => b,
);
same<generated.ScheduleView, contract.ScheduleView>(
  (a) => a,
  (b) => b,
);
same<generated.SchedulePage, contract.SchedulePage>(
  (a) => a,
  (b) => b,
);
same<generated.ScheduleAnswer, contract.ScheduleAnswer>(
  (a) => a,
  (b) => b,
);
same<generated.Webhook, contract.WebhookView>(
  (a) => a,
  (b) => b,
);
same<generated.WebhookWithSecret, contract.WebhookWithSecret>(
  (a) => a,
  (b) => b,
);
same<generated.WebhookPage, contract.WebhookPage>(
  (a) => a,
  (b) => b,
);
same<generated.WebhookDelivery, contract.WebhookDeliveryView>(
  (a) => a,
  (b) => b,
);
same<generated.WebhookDeliveryPage, contract.WebhookDeliveryPage>(
  (a) => a,
  (b) => b,
);
same<generated.CreateWebhookRequest, contract.CreateWebhookBody>(
  (a) => a,
  (b) => b,
);
same<generated.UpdateWebhookRequest, contract.UpdateWebhookBody>(
  (a) => a,
  (b) => b,
);
