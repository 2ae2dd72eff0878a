/** `--<name> <value>` flags, each an optional string: the common case of a command's parseArgs options. */
export function stringFlags<const K extends string>(...names: K[]): Record<K, { type: "string" }> {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as Record<K, { type: "string" }>;
}

/** `--json`: print the API's answer as JSON instead of a table or a line. */
export const jsonFlag = { json: { type: "boolean", default: false } } as const;
