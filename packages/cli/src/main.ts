import { JobstreamError } from "@jobstream/client";
import { childrenCommand } from "./commands/children.ts";
import { enqueueCommand } from "./commands/enqueue.ts";
import { groupsCommand } from "./commands/groups.ts";
import { bulkCommand } from "./commands/bulk.ts";
import { jobActionCommand } from "./commands/job-actions.ts";
import { listCommand } from "./commands/list.ts";
import { schedulesCommand } from "./commands/schedules.ts";
import { tokenCommand } from "./commands/token.ts";
import { typesCommand } from "./commands/types.ts";
import { watchCommand } from "./commands/watch.ts";
import { webhooksCommand } from "./commands/webhooks.ts";
import { queuesCommand } from "./commands/queues.ts";
import { commandContext, EXIT, type CommandContext } from "./context.ts";
import { loadEnv } from "./env.ts";
import { describeApiError } from "./render.ts";
import { UsageError } from "./usage-error.ts";

const USAGE = `usage: jobstream <command> [options]

  enqueue <type>[/<subtype>] --input <json|@file|->  [--json] [--wait] [--name n] [--priority n]
          [--children <json array|@file>] [--on-child-failure fail|ignore]
  get <id>                       the job as JSON
  children <id> [--status s[,s]] [--limit n] [--json]   a job's sub-jobs
  list [--status s[,s]] [--type t] [--subtype s] [--group g] [--q text] [--metadata json] [--limit n] [--json]
  watch <id>                     follow to the end: exit 0 completed, 1 failed, 2 cancelled
  cancel <id> | retry <id>       [--json]
  bulk cancel|retry|delete [filters as for list] [--org uuid] [--all] [--dry-run] [--json]
                                 act on every job the filters match (admins: their org);
                                 --dry-run only counts them
  groups <group id> [watch | cancel | retry] [--org uuid] [--json]
                                 counts and progress; watch exits like watch of a job
  types [--json]                 registered job types
  schedules list | create <name> (--cron p [--tz z] | --every ms) <type>[/<subtype>] --input j
            | pause <id> | resume <id> | delete <id>
  token [--role r] [--org uuid] [--user uuid] [--ttl 3600|1h|7d]
  webhooks list | create <url> --events job.completed[,job.failed,…] [--types t,…] | delete <id>
  queues list | pause <name> | resume <name>   (operator; services may list)

environment: JOBSTREAM_URL (default http://localhost:3000), JOBSTREAM_TOKEN; token: JWT_SECRET
(else the development secret in .data/dev-jwt-secret), JWT_ISSUER, JWT_AUDIENCE`;

/** The commands that take the rest of the command line as it is. */
const COMMANDS: Readonly<Record<string, (ctx: CommandContext, args: string[]) => number | Promise<number>>> = {
  enqueue: enqueueCommand,
  list: listCommand,
  bulk: bulkCommand,
  children: childrenCommand,
  groups: groupsCommand,
  types: typesCommand,
  schedules: schedulesCommand,
  token: tokenCommand,
  webhooks: webhooksCommand,
  queues: queuesCommand,
};

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const handler = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (handler !== undefined) return handler(ctx, args);
  switch (command) {
    case "get":
    case "cancel":
    case "retry":
      return jobActionCommand(ctx, command, args);
    case "watch": {
      const [id, ...rest] = args;
      if (id === undefined || rest.length > 0) throw new UsageError("usage: jobstream watch <job id>");
      return watchCommand(ctx, id);
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      ctx.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs one command line and returns the exit code; errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
  const ctx = commandContext(loadEnv());
  try {
    return await run(ctx, argv);
  } catch (error) {
    if (error instanceof JobstreamError) {
      ctx.stderr.write(`${describeApiError(error)}\n`);
      return EXIT.apiError;
    }
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed flags.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      ctx.stderr.write(`jobstream: ${(error as Error).message}\nrun "jobstream help" for usage\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
