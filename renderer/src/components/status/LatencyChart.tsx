import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SearchLatency } from '../../../../core/api';
import { formatMs, latencySeries } from '../../logic/statusFigures';
import { usePrefersDark } from './usePrefersDark';

const HEIGHT = 170;

/** The theme's colours, read from the CSS variables (a canvas cannot use them directly). */
function themeColours(el: Element) {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { accent: v('--accent', '#3454d1'), muted: v('--muted', '#5e636e'), border: v('--border', '#dfe2e8'), font: css.fontFamily };
}

function chartOptions(width: number, c: ReturnType<typeof themeColours>): uPlot.Options {
  const font = `12px ${c.font}`;
  const axis = { stroke: c.muted, font, grid: { stroke: c.border, width: 1 }, ticks: { stroke: c.border, width: 1, size: 4 } };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    padding: [8, 8, 0, 0],
    scales: {
      // x is the search's place among the recent ones; ±0.5 leaves room for the first and last bar.
      x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
    },
    axes: [
      { ...axis, grid: { show: false }, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')), label: 'Recent searches, oldest to newest', labelFont: font, labelSize: 22 },
      { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatMs(v)) },
    ],
    series: [
      {},
      {
        label: 'Latency',
        stroke: c.accent,
        fill: c.accent,
        width: 0,
        paths: uPlot.paths.bars!({ size: [0.7, 28], gap: 1 }),
        points: { show: false },
      },
    ],
  };
}

interface Props {
  recent: SearchLatency['recent'];
  /** The chart's accessible name: what it shows, in words (a table follows it too). */
  label: string;
}

/** Recent searches' latency as bars (uPlot on a canvas: no inline style attributes, so the strict CSP holds). */
export function LatencyChart({ recent, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = usePrefersDark();
  const data = useMemo(() => latencySeries(recent), [recent]);
  const latest = useRef(data);
  latest.current = data;

  // (Re)built when the theme changes: its colours are baked into the canvas drawing.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(chartOptions(Math.max(200, el.clientWidth), themeColours(el)), latest.current, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (width !== u.width) u.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [dark]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} className="latency-chart" role="img" aria-label={label} data-testid="latency-chart" />;
}
