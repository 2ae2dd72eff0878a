import { useMemo, useState, type ReactNode, type SyntheticEvent } from "react";
import type { TimeseriesBucket } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { queryString } from "../api/client";
import { TimeFigure } from "../charts/time-figure";
import { Choices, Options, SelectField } from "../components/choices";
import { PageHead } from "../components/page-head";
import { Empty, LoadStatus } from "../components/states";
import { formatDuration } from "../format";
import { navigate } from "../router";
import { useLoad } from "../use-load";
import { BUCKETS, RANGES, timeseriesQuery, type ChartRange } from "./stats-range";

/** Jobs are whole: the axis labels only whole ticks (uPlot may place ticks at 0.5). */
const count = (n: number) => (Number.isInteger(n) ? String(n) : "");

/** The three charts of one answer: throughput, failures, latency. */
function Charts({ buckets }: { buckets: readonly TimeseriesBucket[] }) {
  const charts = useMemo(() => {
    const times = buckets.map((b) => Date.parse(b.start));
    const of = (pick: (b: TimeseriesBucket) => number | null) => buckets.map(pick);
    return {
      times,
      throughput: [
        { label: "created", color: "#0b5cad", values: of((b) => b.created) },
        { label: "completed", color: "#1a7f37", values: of((b) => b.completed) },
      ],
      failures: [
        { label: "failed", color: "#b42318", values: of((b) => b.failed) },
        { label: "cancelled", color: "#9a6700", values: of((b) => b.cancelled) },
      ],
      latency: [
        { label: "p50", color: "#0b5cad", values: of((b) => b.p50Ms) },
        { label: "p95", color: "#8250df", values: of((b) => b.p95Ms) },
      ],
    };
  }, [buckets]);
  if (buckets.every((b) => b.created + b.completed + b.failed + b.cancelled === 0))
    return <Empty>No jobs in this range.</Empty>;
  return (
    <div className="charts">
      <TimeFigure
        title="Throughput: jobs created and completed"
        times={charts.times}
        series={charts.throughput}
        format={count}
      />
      <TimeFigure
        title="Failures: jobs failed and cancelled"
        times={charts.times}
        series={charts.failures}
        format={count}
      />
      <TimeFigure
        title="Latency: run time p50 and p95"
        times={charts.times}
        series={charts.latency}
        format={formatDuration}
      />
    </div>
  );
}

/** Range, bucket and type of the charts; applying them rewrites the URL (a link reproduces the view). */
function RangeForm({ range, types }: { range: ChartRange; types: readonly string[] }) {
  const [draft, setDraft] = useState<Record<"range" | "bucket" | "type" | "subtype", string>>({
    range: range.range,
    bucket: range.bucket,
    type: range.type ?? "",
    subtype: range.subtype ?? "",
  });
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) => {
    setDraft({ ...draft, [key]: event.target.value });
  };
  const select = (key: keyof typeof draft, label: string, options: ReactNode) => (
    <SelectField
      id={`chart-${key}`}
      label={label}
      value={draft[key]}
      onChange={(value) => {
        setDraft({ ...draft, [key]: value });
      }}
    >
      {options}
    </SelectField>
  );
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    navigate(`/stats${queryString({ ...draft, subtype: draft.type === "" ? "" : draft.subtype.trim() })}`, {
      replace: true,
    });
  };
  return (
    <form className="filters" aria-label="Chart range" onSubmit={submit}>
      {select("range", "Range", <Options values={Object.keys(RANGES)} text={(r) => `last ${r}`} />)}
      {select("bucket", "Bucket", <Options values={BUCKETS} />)}
      {select("type", "Type", <Choices values={types} anyLabel="every type" />)}
      <div className="field">
        <label htmlFor="chart-subtype">Subtype</label>
        <input id="chart-subtype" type="text" value={draft.subtype} onChange={set("subtype")} />
      </div>
      <div className="actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

/** Jobs over time (`GET /v1/stats/timeseries`) for the range in the URL. */
export function StatsTimeseries({ range, types }: { range: ChartRange; types: readonly string[] }) {
  const jobstream = useJobstreamClient();
  const key = JSON.stringify(range);
  const { load, reload } = useLoad(`timeseries ${key}`, (signal) =>
    jobstream.stats.timeseries(timeseriesQuery(range, Date.now()), { signal }),
  );
  return (
    <section aria-labelledby="over-time-heading">
      <PageHead id="over-time-heading" level={2} refreshLabel="Refresh charts" onRefresh={reload}>
        Over time
      </PageHead>
      <RangeForm key={key} range={range} types={types} />
      <LoadStatus load={load} what="charts" onRetry={reload} />
      {load.state === "ready" && <Charts buckets={load.data.buckets} />}
    </section>
  );
}
