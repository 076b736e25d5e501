// A harness page (bench/lib/headless.mjs) that opens the app full-window in a frame at `path`
// and reports how fast its first feed's ticks grow, how fast the stored total grows, and the
// frame rate. Ticks are counted from one change of the page's own figure to another after
// `measureMs`, so the figure's refresh rate (4 Hz) does not blur the count.
export function appFeedPage(path, { warmupMs, measureMs }) {
	return `<iframe id="app" src="${path}" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>
<script>
const app = document.getElementById('app');
let frames = 0;
const loop = () => { frames++; requestAnimationFrame(loop); };
requestAnimationFrame(loop);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const figure = (id) => { const el = app.contentDocument?.querySelector('[data-testid="' + id + '"]'); return el ? Number((el.getAttribute('data-value') ?? el.textContent).replace(/[^\\d]/g, '')) : NaN; };
async function changed() {
	const before = figure('feed-ticks');
	for (;;) { await sleep(5); const now = figure('feed-ticks'); if (now !== before) return { ticks: now, t: performance.now(), frames }; }
}
(async () => {
	while (!(figure('feed-ticks') > 0)) await sleep(100);
	await sleep(${warmupMs});
	const a = await changed(), storedA = figure('tick-total');
	await sleep(${measureMs});
	const b = await changed(), storedB = figure('tick-total');
	const seconds = (b.t - a.t) / 1000;
	report({ ticksPerS: (b.ticks - a.ticks) / seconds, storedPerS: (storedB - storedA) / seconds, fps: (b.frames - a.frames) / seconds });
})();
</script>`;
}
