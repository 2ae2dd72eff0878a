import { type z } from "zod";
import { named } from "./fields";
import { jobViewSchema } from "./job";

/** What `POST /v1/jobs/{id}/cancel` and `/retry` answer: the job after the action. */
export const jobActionAnswerSchema = named("JobActionAnswer", { job: jobViewSchema });
export type JobActionAnswer = z.infer<typeof jobActionAnswerSchema>;
