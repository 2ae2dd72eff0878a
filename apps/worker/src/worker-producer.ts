import { Producer, type ProducerOptions } from "@jobstream/queue";
import { errorListener, type Logger, type OutageReporter, type RedisClient } from "@jobstream/runtime";

/** The producer a worker role adds jobs with: queue errors go to the outage reporter, logged once per outage. */
export function workerProducer(
  connection: RedisClient,
  options: {
    readonly prefix: string;
    readonly logger: Logger;
    readonly outages: OutageReporter;
    readonly producerOptions?: ProducerOptions;
  },
): Producer {
  return new Producer(
    connection,
    options.prefix,
    (error, queue) => {
      errorListener(options.outages, options.logger, "queue error", { queue })(error);
    },
    options.producerOptions,
  );
}
