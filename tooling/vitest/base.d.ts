import type { UserConfig } from "vitest/config";

export interface VitestConfigOptions {
  /** Integration tests that start processes get longer timeouts. */
  readonly slow?: boolean;
}

export function vitestConfig(options?: VitestConfigOptions): UserConfig;
