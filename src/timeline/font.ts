import { createRequire } from 'node:module';

/**
 * The timeline is drawn with DejaVu Sans from the dejavu-fonts-ttf npm
 * package (the DejaVu project's own TrueType release), so every machine
 * renders the same picture whether or not it has system fonts (a container
 * without fonts would otherwise produce a picture with no text at all). The
 * TrueType file is used as shipped: nothing is converted or written to disk.
 */
export const TIMELINE_FONT_FAMILY = 'DejaVu Sans';

/** Path of a TrueType file for the renderer: PUSHCHECK_TIMELINE_FONT when set, otherwise the packaged DejaVu Sans. */
export function timelineFontFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUSHCHECK_TIMELINE_FONT || createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}
