/** A mistake in the command line (unknown command, bad flag value): printed with the usage hint. */
export class UsageError extends Error {
  override name = "UsageError";
}
