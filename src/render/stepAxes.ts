import { PALETTE } from './channelColors.js';

/**
 * The category axis of a bar chart over steps or touchpoints: every label shown, each cut at
 * 110 px so long page paths and goal names never run into their neighbours.
 */
export const categoryAxis = (labels: string[]) => ({
  type: 'category' as const,
  data: labels,
  axisLabel: {
    fontSize: 10,
    interval: 0,
    width: 110,
    overflow: 'truncate' as const,
    color: PALETTE.text,
  },
});

/** The value axis's grid lines and labels, muted behind the bars. */
export const valueAxisStyle = {
  splitLine: { lineStyle: { color: PALETTE.grid } },
  axisLabel: { fontSize: 10, color: PALETTE.muted },
};
