export { renderTimelinePng, resvgRenderer } from './png.js';
export { timelineSvg, timelineHeight, TIMELINE_WIDTH } from './svg.js';
export { timelineModel, SELF_HEALING_MS } from './model.js';
export { timelineFontFile } from './font.js';
