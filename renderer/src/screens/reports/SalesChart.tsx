// A bar chart of sales per bucket (hour or day). Chart.js is imported when the chart first
// shows, so it never weighs on the cashier's screen. The canvas has a text alternative: the
// same figures as a table for screen readers.
import { useEffect, useRef } from 'react';
import type { SalesBucket } from '../../../../preload/api';
import { selectTheme } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';

export interface SalesChartProps {
  readonly title: string;
  readonly buckets: readonly SalesBucket[];
  readonly label: (bucket: SalesBucket) => string;
  readonly value: (minor: number) => number;
  readonly valueLabel: string;
}

function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** Chart.js with the bar chart's parts only (tree-shaken), registered once. */
async function loadChart() {
  const c = await import('chart.js');
  c.Chart.register(
    c.BarController,
    c.BarElement,
    c.CategoryScale,
    c.LinearScale,
    c.Legend,
    c.Tooltip,
  );
  return c.Chart;
}

export function SalesChart({ title, buckets, label, value, valueLabel }: SalesChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The colours come from the theme's CSS variables: redraw when the theme changes.
  const theme = useTerminal(selectTheme);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    void loadChart().then((Chart) => {
      if (cancelled || canvasRef.current === null) return;
      const fg = cssColor('--fg', '#16191d');
      chart = new Chart(canvasRef.current, {
        type: 'bar',
        data: {
          labels: buckets.map(label),
          datasets: [
            {
              label: valueLabel,
              data: buckets.map((b) => value(b.total)),
              backgroundColor: cssColor('--accent', '#0b63ce'),
            },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { labels: { color: fg } } },
          scales: { x: { ticks: { color: fg } }, y: { ticks: { color: fg }, beginAtZero: true } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [buckets, label, value, valueLabel, theme]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvasRef} role="img" aria-label={title} />
      </div>
      <table className="sr-only">
        <tbody>
          {buckets.map((b) => (
            <tr key={b.start}>
              <th scope="row">{label(b)}</th>
              <td>{b.count}</td>
              <td>{value(b.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
