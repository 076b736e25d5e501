import type { Page } from '@playwright/test';

/** The name a heap snapshot gives uPlot's root element: one per chart alive in the page. */
export const UPLOT_ROOT = '<div class="uplot';

/** A heap snapshot's `detachedness` of a DOM node: in the document, or cut off from it. */
const ATTACHED = 1;
const DETACHED = 2;

interface HeapSnapshot {
	snapshot: { meta: { node_fields: string[] } };
	nodes: number[];
	strings: string[];
}

/**
 * DOM nodes whose name in a heap snapshot of the page starts with `prefix`, counted after a
 * full GC: those in the document, and those cut off from it yet still reachable (something keeps
 * them alive). Unlike heap bytes, which move by hundreds of kB with the live data, the count is
 * exact: one chart kept after its unmount shows as one more detached root.
 */
export async function domNodesInHeap(page: Page, prefix: string): Promise<{ attached: number; detached: number }> {
	const session = await page.context().newCDPSession(page);
	const chunks: string[] = [];
	session.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
	await session.send('HeapProfiler.collectGarbage');
	await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	await session.detach();
	const { snapshot, nodes, strings } = JSON.parse(chunks.join('')) as HeapSnapshot;
	const fields = snapshot.meta.node_fields;
	const stride = fields.length;
	const nameAt = fields.indexOf('name');
	const detachedAt = fields.indexOf('detachedness');
	if (detachedAt < 0) throw new Error('this Chromium writes heap snapshots without detachedness');
	let attached = 0;
	let detached = 0;
	for (let i = 0; i < nodes.length; i += stride) {
		if (!strings[nodes[i + nameAt]].startsWith(prefix)) continue;
		if (nodes[i + detachedAt] === DETACHED) detached++;
		else if (nodes[i + detachedAt] === ATTACHED) attached++;
	}
	return { attached, detached };
}
