import type { Component } from 'svelte';
import type { PanelKind } from '../../workspace/workspace';
import type { PanelProps } from './panel-props';
import CandlesPanel from './CandlesPanel.svelte';
import LinePanel from './LinePanel.svelte';
import LogPanel from './LogPanel.svelte';
import NumberPanel from './NumberPanel.svelte';
import TablePanel from './TablePanel.svelte';
import SensorsPanel from './SensorsPanel.svelte';
import HeatmapPanel from './HeatmapPanel.svelte';

/** The body of each kind of panel; a kind missing here shows a plain note instead. */
export const PANEL_COMPONENTS: Partial<Record<PanelKind, Component<PanelProps>>> = {
	line: LinePanel,
	candles: CandlesPanel,
	table: TablePanel,
	log: LogPanel,
	number: NumberPanel,
	sensors: SensorsPanel,
	heatmap: HeatmapPanel
};
