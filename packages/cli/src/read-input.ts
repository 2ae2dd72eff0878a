import { readFileSync } from "node:fs";
import { text } from "node:stream/consumers";
import { UsageError } from "./usage-error.ts";

/** `--input` as JSON text, `@file` (JSON in a file) or `-` (JSON on stdin). */
export async function readInput(
  value: string | undefined,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<unknown> {
  if (value === undefined) return {};
  let source = "--input";
  let raw = value;
  if (value === "-") {
    source = "stdin";
    raw = await text(stdin);
  } else if (value.startsWith("@")) {
    source = value.slice(1);
    try {
      raw = readFileSync(source, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read --input file ${source}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new UsageError(`${source} is not JSON: ${(error as Error).message}`);
  }
}
