import type { GroupView } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { useCallback, useEffect, useState } from "react";

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * A group, live: its stream's views until every job is final. `follow(view)` shows a view (an
 * action's answer) and follows the group again (a retry reopens a finished group).
 */
export function useGroup(groupId: string): {
  group: GroupView | undefined;
  error: Error | undefined;
  follow: (view: GroupView) => void;
} {
  const jobstream = useJobstreamClient();
  const [state, setState] = useState<{ group?: GroupView; error?: Error }>({});
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    void (async () => {
      try {
        for await (const group of jobstream.groups.stream(groupId, { signal: abort.signal })) setState({ group });
      } catch (error) {
        if (!abort.signal.aborted) setState((s) => ({ ...s, error: asError(error) }));
      }
    })();
    return () => {
      abort.abort();
    };
  }, [jobstream, groupId, generation]);
  const follow = useCallback((group: GroupView) => {
    setState({ group });
    setGeneration((g) => g + 1);
  }, []);
  return { group: state.group, error: state.error, follow };
}
