#!/usr/bin/env node
// The published entry point: compiled JavaScript when built, the sources (through tsx) otherwise.
import { existsSync } from "node:fs";

const built = new URL("../dist/main.js", import.meta.url);
if (existsSync(built)) await import(built.href);
else await import("./dev.js");
