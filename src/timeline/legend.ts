import { COLORS, esc, FONT, shape, textWidth } from './draw.js';
import { AXIS_H, LEGEND_ROW, LEGEND_ROWS, TIMELINE_WIDTH } from './geometry.js';
import { isPushLane, type TimelineModel } from './model.js';

/** What each kind of mark means, shown only for the kinds the picture has. */
const LEGEND: { show: (m: TimelineModel) => boolean; draw: (x: number, y: number) => string; text: string }[] = [
  {
    show: (m) => m.marks.some((k) => isPushLane(k.lane) && k.tone === 'ok'),
    draw: (x, y) => shape('circle', x, y, COLORS.ok),
    text: 'push accepted by APNs (2xx)',
  },
  { show: (m) => m.marks.some((k) => isPushLane(k.lane) && k.tone === 'bad'), draw: (x, y) => shape('circle', x, y, COLORS.bad), text: 'push refused by APNs' },
  {
    show: (m) => m.marks.some((k) => isPushLane(k.lane) && k.tone === 'info'),
    draw: (x, y) => shape('circle', x, y, COLORS.info),
    text: 'push sent (no APNs answer logged)',
  },
  { show: (m) => m.marks.some((k) => k.lane === 'contact'), draw: (x, y) => shape('diamond', x, y, COLORS.ok), text: 'device contacted the server' },
  {
    show: (m) => m.marks.some((k) => k.lane === 'command' && k.tone !== 'warn'),
    draw: (x, y) => shape('square', x, y, COLORS.ok),
    text: 'command status (Acknowledged / Error)',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'command' && k.tone === 'warn'),
    draw: (x, y) => shape('square', x, y, COLORS.warn),
    text: 'NotNow (command deferred)',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'enrollment'),
    draw: (x, y) => shape('square', x, y, COLORS.info),
    text: 'enrollment check-in (red: CheckOut)',
  },
  {
    show: (m) => m.marks.some((k) => !isPushLane(k.lane) && k.shape === 'circle' && k.tone === 'info'),
    draw: (x, y) => shape('circle', x, y, COLORS.info),
    text: 'other event',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'device' && k.tone === 'bad'),
    draw: (x, y) => shape('triangle', x, y, COLORS.bad),
    text: 'device rejected a push / lost APNs',
  },
  {
    show: (m) => m.spans.some((s) => s.lane === 'device'),
    draw: (x, y) =>
      `<rect x="${x - 9}" y="${y - 7}" width="18" height="14" fill="${COLORS.warn}" fill-opacity="0.14" stroke="${COLORS.warn}" stroke-dasharray="4 3"/>`,
    text: '25 h self-healing window',
  },
  {
    show: (m) => m.markers.length > 0,
    draw: (x, y) => `<line x1="${x}" y1="${y - 8}" x2="${x}" y2="${y + 8}" stroke="#555555" stroke-dasharray="4 3" stroke-width="1.5"/>`,
    text: 'failures began / sysdiagnose',
  },
];

/** The legend under the axis, wrapped onto further rows when it does not fit one. */
export function legendSvg(model: TimelineModel, axisY: number): string[] {
  const out: string[] = [];
  let lx = 24;
  let row = 0;
  for (const item of LEGEND.filter((l) => l.show(model))) {
    const w = 14 + textWidth(item.text, 12) + 26;
    if (lx + w > TIMELINE_WIDTH - 10 && lx > 24 && row < LEGEND_ROWS - 1) {
      row++;
      lx = 24;
    }
    const ly = axisY + AXIS_H + 6 + row * LEGEND_ROW;
    out.push(item.draw(lx, ly));
    out.push(`<text x="${lx + 14}" y="${ly + 4}" ${FONT} font-size="12" fill="#333333">${esc(item.text)}</text>`);
    lx += w;
  }
  return out;
}
