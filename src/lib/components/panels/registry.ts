import type { Component } from 'svelte';
import type { PanelKind } from '../../workspace/workspace';
import type { PanelProps } from './panel-props';
import SeriesLinePanel from './SeriesLinePanel.svelte';

/** The body of each kind of panel; a kind missing here shows a plain note instead. */
export const PANEL_COMPONENTS: Partial<Record<PanelKind, Component<PanelProps>>> = {
	line: SeriesLinePanel
};
