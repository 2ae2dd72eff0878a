import type { FailedJob, QueueDepth, QueueStat, QueueState, TypeStat } from "../api/types";
import { BarChart } from "../components/bar-chart";
import { DataTable } from "../components/list-shell";
import { PageHead } from "../components/page-head";
import { Empty, LoadStatus } from "../components/states";
import { useApp } from "../context";
import { formatDuration, formatPercent, formatTime } from "../format";
import { Link } from "../router";
import { useLoad } from "../use-load";
import { chartRangeFrom } from "./stats-range";
import { StatsTimeseries } from "./stats-timeseries";

interface Stats {
  types: TypeStat[];
  queues: { byTypeAndStatus: QueueStat[]; queueDepths: QueueDepth[] | null; queueStates: QueueState[] };
  failed: FailedJob[];
}

/**
 * The monitoring views as charts (admin, operator and service tokens; members get a clear refusal),
 * with jobs over time for the range in the URL's query.
 */
export function StatsPage({ search }: { search: URLSearchParams }) {
  const { api: client } = useApp();
  const { load, reload } = useLoad("stats", async (signal): Promise<Stats> => {
    const [types, queues, failed] = await Promise.all([
      client.get<{ types: TypeStat[] }>("/v1/stats/types", signal),
      client.get<Stats["queues"]>("/v1/stats/queues", signal),
      client.get<{ jobs: FailedJob[] }>("/v1/stats/failed?limit=20", signal),
    ]);
    return { types: types.types, queues, failed: failed.jobs };
  });

  return (
    <section aria-labelledby="stats-heading">
      <PageHead id="stats-heading" refreshLabel="Refresh stats" onRefresh={reload}>
        Stats
      </PageHead>
      <LoadStatus load={load} what="stats" onRetry={reload} />
      {load.state === "ready" && <StatsCharts stats={load.data} />}
      <StatsTimeseries
        range={chartRangeFrom(search)}
        types={load.state === "ready" ? load.data.types.map((t) => t.type) : []}
      />
    </section>
  );
}

function StatsCharts({ stats }: { stats: Stats }) {
  if (stats.types.length === 0) return <Empty>No jobs in the last 7 days.</Empty>;
  const depths = stats.queues.queueDepths;
  const paused = new Set(stats.queues.queueStates.filter((q) => q.paused).map((q) => q.queue));
  return (
    <>
      <div className="charts">
        <BarChart
          title="Success rate by type (7 days)"
          max={1}
          bars={stats.types.map((t) => ({
            label: t.type,
            segments: [{ kind: "success", value: t.successRate ?? 0 }],
            text: formatPercent(t.successRate),
          }))}
        />
        <BarChart
          title="Average duration by type (7 days)"
          bars={stats.types.map((t) => ({
            label: t.type,
            segments: [{ kind: "duration", value: t.avgDurationMs ?? 0 }],
            text: formatDuration(t.avgDurationMs),
          }))}
        />
        {depths === null ? (
          <p className="state">Queue depths are unavailable: Redis did not answer.</p>
        ) : (
          <BarChart
            title="Queue depth now"
            bars={depths.map((d) => ({
              // Queues are named after their type; a paused one says so here too.
              label: paused.has(d.type) ? `${d.type} (paused)` : d.type,
              segments: [
                { kind: "waiting", value: d.waiting + d.prioritized },
                { kind: "active", value: d.active },
                { kind: "delayed", value: d.delayed },
              ],
              text: [
                `${String(d.waiting + d.prioritized)} waiting`,
                `${String(d.active)} active`,
                `${String(d.delayed)} delayed`,
              ].join(", "),
            }))}
          />
        )}
      </div>
      <DataTable
        rows={stats.types}
        caption="Jobs by type (7 days)"
        columns={["Type", "Total", "Completed", "Failed", "Cancelled", "Unfinished", "Success rate", "Avg duration"]}
        row={(t) => (
          <tr key={t.type}>
            <th scope="row">{t.type}</th>
            <td>{t.total}</td>
            <td>{t.completed}</td>
            <td>{t.failed}</td>
            <td>{t.cancelled}</td>
            <td>{t.unfinished}</td>
            <td>{formatPercent(t.successRate)}</td>
            <td>{formatDuration(t.avgDurationMs)}</td>
          </tr>
        )}
      />
      <h2>Failed jobs</h2>
      {stats.failed.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul className="failed-list">
          {stats.failed.map((f) => (
            <li key={f.id}>
              <Link to={`/jobs/${f.id}`}>{f.name}</Link> <span className="muted">{f.type}</span>{" "}
              {f.error !== null && <code>{f.error.code}</code>}{" "}
              <span className="muted">
                {formatTime(f.failedAt)} · attempt {f.attempts} of {f.maxAttempts}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
