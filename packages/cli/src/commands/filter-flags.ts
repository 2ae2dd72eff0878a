import type { BulkFilter } from "@jobstream/client";
import { statusesOf, stringFlags } from "../flags.ts";
import { UsageError } from "../usage-error.ts";

/** The filter flags `list` and `bulk` share (`GET /v1/jobs`'s filters). */
export const filterFlags = stringFlags("status", "type", "subtype", "group", "user", "q", "metadata");

/** `--metadata '{"shop":"a"}'`: a JSON object the jobs' metadata must contain. */
function metadataOf(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--metadata is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`--metadata must be a JSON object, e.g. '{"shop":"a"}'`);
  }
  return Object.fromEntries(Object.entries(parsed));
}

/** The parsed filter flags as the client's filter (absent flags are undefined: left out of the request). */
export function filterOf(values: { [K in keyof typeof filterFlags]?: string }): BulkFilter {
  return {
    status: statusesOf(values.status),
    type: values.type,
    subtype: values.subtype,
    groupId: values.group,
    userId: values.user,
    q: values.q,
    metadata: metadataOf(values.metadata),
  };
}
