/** One bar of a chart: jobstore's bars are drawn in colour, the peers' in grey. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly jobstore: boolean;
  /** Shown instead of the value where there is none (not run, failed). */
  readonly note?: string;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart as SVG, no dependencies. `log` scales the bars by log10 (latencies
 * that span milliseconds to seconds); `format` writes each value at the end of its bar.
 */
export function barChart(options: { title: string; subtitle: string; bars: readonly Bar[]; format: (value: number) => string; log?: boolean }): string {
  const { title, subtitle, bars, format, log = false } = options;
  const width = 820;
  const labelWidth = 250;
  const barArea = width - labelWidth - 110;
  const row = 24;
  const top = 58;
  const height = top + bars.length * row + 16;
  const values = bars.filter((bar) => Number.isFinite(bar.value) && bar.value > 0).map((bar) => bar.value);
  const max = Math.max(...values, 1e-9);
  const min = Math.min(...values, max);
  const floor = log ? Math.log10(min) - 0.5 : 0;
  const scale = (value: number): number => {
    if (!(Number.isFinite(value) && value > 0)) return 0;
    if (!log) return (value / max) * barArea;
    const span = Math.log10(max) - floor;
    return span <= 0 ? barArea : ((Math.log10(value) - floor) / span) * barArea;
  };
  const rows = bars.map((bar, i) => {
    const y = top + i * row;
    const w = Math.max(1, scale(bar.value));
    const text = bar.note ?? format(bar.value);
    const fill = bar.jobstore ? '#2f6fdf' : '#9aa3b2';
    const drawn = bar.note === undefined;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      drawn ? `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" rx="2" fill="${fill}"/>` : '',
      `<text x="${labelWidth + (drawn ? w : 0) + 6}" y="${y + 15}" fill="#333">${escapeXml(text)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img">
<title>${escapeXml(title)}: ${escapeXml(subtitle)}</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="22" font-size="15" font-weight="600">${escapeXml(title)}</text>
<text x="12" y="40" fill="#555">${escapeXml(subtitle)}${log ? ' (log scale)' : ''}</text>
${rows.join('\n')}
</svg>
`;
}
