import { parseArgs } from "node:util";
import { stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { devSecret } from "../token/dev-secret.ts";
import { signToken } from "../token/sign-token.ts";
import { tokenRequest } from "../token/token-request.ts";

/** Prints a signed bearer token; the token alone is stdout's last line (`pnpm -s token` prints only it). */
export async function tokenCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: stringFlags("role", "org", "user", "ttl"),
  });
  const request = tokenRequest(values);
  const secret = ctx.env.jwtSecret ?? devSecret(ctx.env.dataDir);
  const token = await signToken(request, { secret, issuer: ctx.env.jwtIssuer, audience: ctx.env.jwtAudience });
  ctx.stdout.write(`${token}\n`);
  return EXIT.ok;
}
