// The scaling chart, written by hand: two log-log panels side by side — API calls against N, and wall time
// against N — with decade grid lines and a legend under each. Pure: data in, SVG text out.
import type { ScalingData, Series } from '../scenarios/scaling.ts';

const PANEL = { width: 460, height: 330, left: 70, right: 20, top: 40, bottom: 50 };
const GAP = 40;
const LEGEND_LINE = 18;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Powers of ten covering [min, max] (at least one decade). */
export function decades(min: number, max: number): { low: number; high: number; ticks: number[] } {
  const low = Math.floor(Math.log10(Math.max(min, Number.MIN_VALUE)));
  let high = Math.ceil(Math.log10(Math.max(max, Number.MIN_VALUE)));
  if (high === low) high += 1;
  const ticks: number[] = [];
  for (let e = low; e <= high; e++) ticks.push(10 ** e);
  return { low, high, ticks };
}

function tickLabel(value: number, unit: string): string {
  const text = value >= 1_000_000 ? `${value / 1_000_000}M` : value >= 1000 ? `${value / 1000}k` : value >= 1 ? String(value) : String(Number(value.toPrecision(1)));
  return `${text}${unit}`;
}

function panel(title: string, series: readonly Series[], offsetX: number, yUnit: string): string {
  const points = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  if (points.length === 0) return `<text x="${offsetX + PANEL.width / 2}" y="${PANEL.top + 40}" text-anchor="middle">${escapeXml(title)}: no data</text>`;
  const xs = decades(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)));
  const ys = decades(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)));
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (value: number) => offsetX + PANEL.left + ((Math.log10(value) - xs.low) / (xs.high - xs.low)) * plotW;
  const y = (value: number) => PANEL.top + plotH - ((Math.log10(value) - ys.low) / (ys.high - ys.low)) * plotH;
  const out: string[] = [];
  out.push(`<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.top - 16}" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
  for (const tick of xs.ticks) {
    out.push(`<line x1="${x(tick).toFixed(1)}" y1="${PANEL.top}" x2="${x(tick).toFixed(1)}" y2="${PANEL.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x(tick).toFixed(1)}" y="${PANEL.top + plotH + 18}" text-anchor="middle">${tickLabel(tick, '')}</text>`);
  }
  for (const tick of ys.ticks) {
    out.push(`<line x1="${offsetX + PANEL.left}" y1="${y(tick).toFixed(1)}" x2="${offsetX + PANEL.left + plotW}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${offsetX + PANEL.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tickLabel(tick, yUnit)}</text>`);
  }
  out.push(`<rect x="${offsetX + PANEL.left}" y="${PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.top + plotH + 38}" text-anchor="middle">accounts N (each with 2 contacts)</text>`);
  for (const s of series) {
    const visible = s.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    if (visible.length === 0) continue;
    const path = visible.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const p of visible) out.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(`${s.label}: N=${p.x}, ${p.y.toPrecision(4)}${yUnit}`)}</title></circle>`);
  }
  return out.join('\n');
}

/** The legend of one panel, one series a line, under the panel. */
function legend(series: readonly Series[], offsetX: number, top: number): string {
  return series
    .map((s, i) => {
      const lx = offsetX + PANEL.left;
      const ly = top + i * LEGEND_LINE;
      return `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 28}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${lx + 36}" y="${ly}">${escapeXml(s.label)}</text>`;
    })
    .join('\n');
}

export function scalingChart(data: ScalingData): string {
  const legendRows = Math.max(data.calls.length, data.wall.length);
  const width = PANEL.width * 2 + GAP;
  const height = PANEL.height + 20 + legendRows * LEGEND_LINE + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    panel('Salesforce API calls (log-log)', data.calls, 0, ''),
    panel('Wall time, 0 ms latency (log-log)', data.wall, PANEL.width + GAP, ' s'),
    legend(data.calls, 0, PANEL.height + 24),
    legend(data.wall, PANEL.width + GAP, PANEL.height + 24),
    '</svg>',
    '',
  ].join('\n');
}
