/**
 * Whether `closing` finished within `ms`. Closing BullMQ workers and connections needs Redis: while
 * it is out they would wait for ever, so callers drop their connections when this answers false.
 */
export async function closedWithin(closing: Promise<unknown>, ms: number): Promise<boolean> {
  let bound: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    closing.then(() => true),
    new Promise<false>((resolve) => {
      bound = setTimeout(() => {
        resolve(false);
      }, ms);
    }),
  ]);
  clearTimeout(bound);
  return closed;
}
