import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { activeTracing, startTracing, tracesUrl } from "./tracing";

const runtimeDir = fileURLToPath(new URL("..", import.meta.url));

/** A resolve hook that fails any import of the OpenTelemetry SDK or bullmq-otel, naming it. */
const refuseOtel = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(specifier, context, next) {
     if (/^(@opentelemetry\\/|bullmq-otel)/.test(specifier)) throw new Error("tracing module loaded: " + specifier);
     return next(specifier, context);
   }`,
)}`;

/** Runs `startTracing` in a fresh Node process where loading any tracing module fails. */
function startInFreshProcess(endpoint: string | undefined) {
  const script = `
    import { register } from "node:module";
    register(${JSON.stringify(refuseOtel)});
    const { startTracing, activeTracing } = await import("./src/index.ts");
    const tracing = await startTracing({ endpoint: ${JSON.stringify(endpoint)}, serviceName: "test" });
    console.log(JSON.stringify({ started: tracing !== null, active: activeTracing() !== null }));`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: runtimeDir,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("startTracing", () => {
  it("without an endpoint loads no tracing module and leaves tracing off", () => {
    const run = startInFreshProcess(undefined);
    expect(run.stderr).not.toContain("tracing module loaded");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ started: false, active: false });
  });

  it("with an endpoint loads the SDK (so the check above would see a load)", () => {
    const run = startInFreshProcess("http://127.0.0.1:1");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("tracing module loaded: @opentelemetry/");
  });

  it("returns null in this process too, and activeTracing stays null", async () => {
    await expect(startTracing({ endpoint: undefined, serviceName: "test" })).resolves.toBeNull();
    expect(activeTracing()).toBeNull();
  });
});

describe("tracesUrl", () => {
  it.each([
    ["http://collector:4318", "http://collector:4318/v1/traces"],
    ["http://collector:4318/", "http://collector:4318/v1/traces"],
    ["https://otel.example.com/ingest/", "https://otel.example.com/ingest/v1/traces"],
  ])("appends /v1/traces to %s as the OTLP exporter spec does", (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });
});
