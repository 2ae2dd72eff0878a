import type { UserConfig } from "vitest/config";

export function vitestClusterConfig(options: { readonly include: string[] }): UserConfig;
