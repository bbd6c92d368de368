export { renderTimelinePng, resvgRenderer } from './png.js';
export { timelineHeight, TIMELINE_WIDTH } from './geometry.js';
export { timelineSvg } from './svg.js';
export { timelineModel, SELF_HEALING_MS } from './model.js';
export { timelineFontFile } from './font.js';
