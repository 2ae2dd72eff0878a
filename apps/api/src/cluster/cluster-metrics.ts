import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

/**
 * `/metrics` across API processes: a scrape reaches one worker (they share the port), which asks
 * the primary; the primary gathers every worker's registry through prom-client's
 * AggregatorRegistry (counters and histograms summed, gauges as each declares) and sends the text
 * back. The primary itself serves no HTTP.
 */
const ASK = "jobstream:cluster-metrics";
const ANSWER = "jobstream:cluster-metrics-answer";

interface Ask {
  readonly type: typeof ASK;
  readonly id: string;
}
interface Answer {
  readonly type: typeof ANSWER;
  readonly id: string;
  readonly text?: string;
  readonly error?: string;
}

const isAsk = (message: unknown): message is Ask => (message as Partial<Ask> | null)?.type === ASK;
const isAnswer = (message: unknown): message is Answer => (message as Partial<Answer> | null)?.type === ANSWER;

/** In the primary: answers workers' metrics requests with every worker's metrics, aggregated. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: unknown) => {
    if (!isAsk(message)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (error: unknown) => worker.send({ type: ANSWER, id: message.id, error: String(error) } satisfies Answer),
    );
  });
}

/**
 * The metrics text a scrape answers: this process's registry alone, or, in a cluster worker, every
 * worker's (`registry` is what this worker hands the primary when it collects).
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || send === undefined) return () => registry.metrics();
  // Constructing one in a worker is what makes prom-client answer the primary's collection requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  return () => askPrimary(send);
}

function askPrimary(send: (message: Ask) => boolean, timeoutMs = 6000): Promise<string> {
  const id = randomUUID();
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new Error("the primary process did not answer the metrics request"));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isAnswer(message) || message.id !== id) return;
      done();
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? "metrics aggregation failed"));
    };
    const done = () => {
      clearTimeout(timer);
      process.off("message", onMessage);
    };
    process.on("message", onMessage);
    send({ type: ASK, id } satisfies Ask);
  });
}
