import { z } from "zod";
import { jobViewSchema } from "./job";

/** What `POST /v1/jobs/{id}/cancel` and `/retry` answer: the job after the action. */
export const jobActionAnswerSchema = z.object({ job: jobViewSchema }).meta({ id: "JobActionAnswer" });
export type JobActionAnswer = z.infer<typeof jobActionAnswerSchema>;
