import type { SeriesInfo } from '../../domain/series';
import type { Dashboard } from '../../state/dashboard.svelte';
import type { SeriesSource, TimeLink } from '../../state/series-source';
import type { PanelSpec } from '../../workspace/workspace';

/** What the board gives every panel body. */
export interface PanelProps {
	spec: PanelSpec;
	/** The panel's series that exist in the history, in the panel's order. */
	series: SeriesInfo[];
	source: SeriesSource;
	link: TimeLink;
	dashboard: Dashboard;
	/** Height of the body in CSS pixels (the board sets it from the panel's rows). */
	height: number;
}
