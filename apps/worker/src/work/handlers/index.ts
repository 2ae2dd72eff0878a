import type { Queryable } from "@jobstream/db";
import type { HandlerMap } from "../handler-map";
import { importCsv } from "./import-csv";
import { maintenanceCleanup } from "./maintenance-cleanup";
import { syntheticNoop, syntheticWork } from "./synthetic";
import { syntheticGather } from "./synthetic-gather";

/** The handler of every registered job type. */
export function createHandlers(deps: { readonly db: Queryable }): HandlerMap {
  return {
    synthetic: { work: syntheticWork, noop: syntheticNoop, gather: syntheticGather },
    import: { csv: importCsv },
    maintenance: { cleanup: maintenanceCleanup(deps.db) },
  };
}
