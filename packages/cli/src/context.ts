import { createClient, type JobstreamClient } from "@jobstream/client";
import type { CliEnv } from "./env.ts";
import { UsageError } from "./usage-error.ts";

/** What a command needs: configuration, output streams and (on demand) an API client. */
export interface CommandContext {
  readonly env: CliEnv;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  client(): JobstreamClient;
}

export function commandContext(env: CliEnv): CommandContext {
  let client: JobstreamClient | undefined;
  return {
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    client() {
      const token = env.token;
      if (token === undefined) {
        throw new UsageError("JOBSTREAM_TOKEN is not set: export JOBSTREAM_TOKEN=$(pnpm -s token)");
      }
      client ??= createClient({ baseUrl: env.url, token });
      return client;
    },
  };
}

/** Exit codes: 0 done / completed, 1 job failed, 2 job cancelled, 3 API or network error, 64 usage. */
export const EXIT = { ok: 0, failed: 1, cancelled: 2, apiError: 3, usage: 64 } as const;
