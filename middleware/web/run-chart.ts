// The run-history chart of the Sync Manager, drawn on the server as SVG geometry (no script, no inline
// style): per run, bars for records synced and errors on the left scale, and a line for API calls on the
// right scale. Pure: runs in, coordinates and labels out; the template only places them.

export interface ChartRun {
  startedAt: Date;
  job: string;
  status: string;
  recordsSynced: number;
  errors: number;
  apiCalls: number;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  className: string;
  title: string;
}

export interface Tick {
  y: number;
  label: string;
}

export interface RunChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: Bar[];
  apiLine: string;
  apiPoints: Array<{ x: number; y: number; title: string }>;
  leftTicks: Tick[];
  rightTicks: Tick[];
  xLabels: Array<{ x: number; label: string }>;
  empty: boolean;
}

const WIDTH = 880;
const HEIGHT = 240;
const PLOT = { left: 56, top: 16, right: WIDTH - 56, bottom: HEIGHT - 36 };

/** A round upper bound for a scale (1, 2, 5 × 10^n) so ticks read well. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const round = (n: number) => Math.round(n * 10) / 10;

function ticks(max: number, count = 4): Array<{ value: number; y: number }> {
  return Array.from({ length: count + 1 }, (_, i) => {
    const value = (max / count) * i;
    return { value, y: round(PLOT.bottom - ((PLOT.bottom - PLOT.top) * value) / max) };
  });
}

const shortTime = (date: Date) => `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')} ${date.toISOString().slice(11, 16)}`;
/** Axis labels: the time of day with seconds when every run is within one day, else month-day and time. */
const axisLabel = (runs: readonly ChartRun[]) => {
  const first = runs[0]?.startedAt.getTime() ?? 0;
  const last = runs.at(-1)?.startedAt.getTime() ?? 0;
  return last - first < 86_400_000 ? (date: Date) => date.toISOString().slice(11, 19) : shortTime;
};

/** `runs` oldest first. */
export function runChart(runs: readonly ChartRun[]): RunChart {
  const leftMax = niceMax(Math.max(0, ...runs.map((run) => Math.max(run.recordsSynced, run.errors))));
  const rightMax = niceMax(Math.max(0, ...runs.map((run) => run.apiCalls)));
  const slot = runs.length > 0 ? (PLOT.right - PLOT.left) / runs.length : 0;
  const barWidth = Math.max(2, Math.min(18, slot * 0.32));
  const yLeft = (value: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * value) / leftMax;
  const yRight = (value: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * value) / rightMax;
  const bars: Bar[] = [];
  const apiPoints: RunChart['apiPoints'] = [];
  runs.forEach((run, index) => {
    const center = PLOT.left + slot * index + slot / 2;
    const when = `${run.job} ${shortTime(run.startedAt)} UTC (${run.status})`;
    const bar = (value: number, x: number, className: string, what: string): Bar => ({
      x: round(x),
      y: round(yLeft(value)),
      width: round(barWidth),
      height: round(PLOT.bottom - yLeft(value)),
      className,
      title: `${when}: ${value.toLocaleString('en-US')} ${what}`,
    });
    bars.push(bar(run.recordsSynced, center - barWidth - 1, 'chart-bar_records', 'records synced'));
    bars.push(bar(run.errors, center + 1, 'chart-bar_errors', 'errors'));
    apiPoints.push({ x: round(center), y: round(yRight(run.apiCalls)), title: `${when}: ${run.apiCalls.toLocaleString('en-US')} API calls` });
  });
  const labelEvery = Math.max(1, Math.ceil(runs.length / 8));
  const label = axisLabel(runs);
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    bars,
    apiLine: apiPoints.map((point) => `${point.x},${point.y}`).join(' '),
    apiPoints,
    leftTicks: ticks(leftMax).map((tick) => ({ y: tick.y, label: formatTick(tick.value) })),
    rightTicks: ticks(rightMax).map((tick) => ({ y: tick.y, label: formatTick(tick.value) })),
    xLabels: runs.flatMap((run, index) => (index % labelEvery === 0 ? [{ x: round(PLOT.left + slot * index + slot / 2), label: label(run.startedAt) }] : [])),
    empty: runs.length === 0,
  };
}

function formatTick(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
