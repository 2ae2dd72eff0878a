/** One BullMQ queue per job type; the queue is named after the type. */
export function queueNameFor(type: string): string {
  return type;
}
