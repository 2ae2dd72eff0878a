import type { Queryable } from "@jobstream/db";
import type { ActionDeps } from "@jobstream/queue";
import { bulkAction } from "./bulk-action";
import type { HandlerMap } from "../handler-map";
import { importCsv } from "./import-csv";
import { maintenanceCleanup } from "./maintenance-cleanup";
import { syntheticNoop, syntheticWork } from "./synthetic";
import { syntheticGather } from "./synthetic-gather";

/** The handler of every registered job type. */
export function createHandlers(deps: { readonly db: Queryable; readonly actions: ActionDeps }): HandlerMap {
  return {
    synthetic: { work: syntheticWork, noop: syntheticNoop, gather: syntheticGather },
    import: { csv: importCsv },
    maintenance: { cleanup: maintenanceCleanup(deps.db) },
    bulk: {
      cancel: bulkAction(deps.actions, "cancel"),
      retry: bulkAction(deps.actions, "retry"),
      delete: bulkAction(deps.actions, "delete"),
    },
  };
}
