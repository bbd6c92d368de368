import { createRequire } from 'node:module';
import type { Report } from '../report/types.js';
import { TIMELINE_FONT_FAMILY, timelineFontFile } from './font.js';
import { timelineSvg } from './svg.js';

export type SvgRenderer = (svg: string) => Buffer;

/** The native renderer, loaded the first time a picture is drawn (most runs draw none). */
let resvg: typeof import('@resvg/resvg-js') | undefined;

/** resvg with the bundled DejaVu Sans only, so every machine draws the same pixels. */
export const resvgRenderer: SvgRenderer = (svg) =>
  new (resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js')).Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [timelineFontFile()], defaultFontFamily: TIMELINE_FONT_FAMILY },
    background: '#ffffff',
  })
    .render()
    .asPng();

/**
 * The push timeline as a PNG, or null when the evidence has fewer than two
 * timed events (then the renderer is not run at all).
 */
export function renderTimelinePng(report: Report, options: { render?: SvgRenderer } = {}): Buffer | null {
  const svg = timelineSvg(report);
  if (svg === null) return null;
  return (options.render ?? resvgRenderer)(svg);
}
