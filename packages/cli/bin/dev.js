#!/usr/bin/env node
// Runs the CLI from its TypeScript sources (what `pnpm jobstream` and `pnpm token` use in the
// repository): tsx is resolved from this package, so the caller's working directory stays theirs.
import { register } from "tsx/esm/api";

register();
await import(new URL("../src/main.ts", import.meta.url).href);
