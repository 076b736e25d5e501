#!/usr/bin/env node
/**
 * Renders the Tickscope app icons into static/icons/ with no dependencies.
 *
 *   node scripts/make-icons.mjs
 *
 * The artwork is a live price line (cyan) with one spike flagged as an anomaly
 * (orange dot) on a dark rounded square. Shapes are tested point-by-point at
 * SS x SS samples per pixel, blended in linear light, and written as RGBA PNGs
 * by hand (signature, IHDR, IDAT via zlib, IEND). static/favicon.svg is the same
 * design written by hand; keep the two in step if the artwork changes.
 */
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const OUT_DIR = new URL('../static/icons/', import.meta.url);
const SS = 4; // samples per pixel along each axis

// ---------------------------------------------------------------- design ---
// Artwork coordinates are in a unit box, y pointing down. For the regular icon
// the box is the whole canvas; for the maskable one it is scaled down about the
// centre so everything sits inside the 80% safe zone.

const BG = hex('#0f1419');
const GRID = hex('#1c2630');
const LINE = hex('#39c5cf');
const ANOMALY = hex('#ff6b4a');

const CORNER_RADIUS = 0.22; // of the icon size
const LINE_HALF_WIDTH = 0.036;
/** The price line, left to right: drift up, dip, spike (the anomaly), fall back, recover. */
const POINTS = [
	[0.14, 0.64],
	[0.28, 0.52],
	[0.39, 0.6],
	[0.52, 0.26],
	[0.62, 0.66],
	[0.74, 0.5],
	[0.86, 0.56]
];
const SPIKE = POINTS[3];
const DOT_RADIUS = 0.072;
const FILL_TOP_ALPHA = 0.26; // soft area fill under the line, fading downwards
const FILL_BOTTOM = 0.8;
const FILL_TOP = Math.min(...POINTS.map((p) => p[1]));
const GRID_ROWS = [0.38, 0.59, 0.8];
const GRID_HALF_WIDTH = 0.006;

// ---------------------------------------------------------------- render ---

/**
 * @param {number} size pixels along each side
 * @param {{ maskable?: boolean }} [opts]
 * @returns {Uint8Array} RGBA, row-major
 */
function render(size, { maskable = false } = {}) {
	const scale = maskable ? safeZoneScale() : 1;
	const rgba = new Uint8Array(size * size * 4);
	const n = SS * SS;

	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			// Premultiplied, linear-light accumulator.
			let r = 0, g = 0, b = 0, a = 0;
			for (let sy = 0; sy < SS; sy++) {
				for (let sx = 0; sx < SS; sx++) {
					const x = (px + (sx + 0.5) / SS) / size;
					const y = (py + (sy + 0.5) / SS) / size;
					const s = shade(x, y, scale, maskable);
					r += s[0] * s[3];
					g += s[1] * s[3];
					b += s[2] * s[3];
					a += s[3];
				}
			}
			const i = (py * size + px) * 4;
			if (a > 0) {
				rgba[i] = toSrgb8(r / a);
				rgba[i + 1] = toSrgb8(g / a);
				rgba[i + 2] = toSrgb8(b / a);
			}
			rgba[i + 3] = Math.round((a / n) * 255);
		}
	}
	return rgba;
}

/** Colour of one sample point (canvas units 0..1) as linear [r, g, b, a]. */
function shade(x, y, scale, fullBleed) {
	if (!fullBleed && !inRoundedSquare(x, y, CORNER_RADIUS)) return [0, 0, 0, 0];

	// Into artwork space.
	const ax = (x - 0.5) / scale + 0.5;
	const ay = (y - 0.5) / scale + 0.5;
	let c = BG;

	const x0 = POINTS[0][0];
	const x1 = POINTS[POINTS.length - 1][0];
	if (ax >= x0 && ax <= x1) {
		if (GRID_ROWS.some((gy) => Math.abs(ay - gy) <= GRID_HALF_WIDTH)) c = GRID;
		const ly = lineYAt(ax);
		if (ay > ly && ay < FILL_BOTTOM) {
			// Fade by height, not by distance from the line, so the fill has no seams at the vertices.
			const t = (FILL_BOTTOM - ay) / (FILL_BOTTOM - FILL_TOP); // 1 at the peak, 0 at the bottom
			c = mix(c, LINE, FILL_TOP_ALPHA * t ** 1.5);
		}
	}
	if (distToPolyline(ax, ay) <= LINE_HALF_WIDTH) c = LINE;

	// The anomaly marker sits on the spike's tip, over the line.
	if (Math.hypot(ax - SPIKE[0], ay - SPIKE[1]) <= DOT_RADIUS) c = ANOMALY;

	return [c[0], c[1], c[2], 1];
}

/** Largest artwork scale that keeps every mark inside the maskable safe circle (r = 0.4). */
function safeZoneScale() {
	let reach = Math.hypot(SPIKE[0] - 0.5, SPIKE[1] - 0.5) + DOT_RADIUS;
	for (const [px, py] of POINTS) reach = Math.max(reach, Math.hypot(px - 0.5, py - 0.5) + LINE_HALF_WIDTH);
	return Math.min(0.8, 0.4 / reach);
}

function inRoundedSquare(x, y, radius) {
	const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
	const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
	return qx * qx + qy * qy <= radius * radius;
}

function lineYAt(x) {
	for (let i = 1; i < POINTS.length; i++) {
		const [xa, ya] = POINTS[i - 1];
		const [xb, yb] = POINTS[i];
		if (x <= xb) return ya + ((x - xa) / (xb - xa)) * (yb - ya);
	}
	return POINTS[POINTS.length - 1][1];
}

/** Distance to the polyline; measuring to segments gives round joins and caps for free. */
function distToPolyline(x, y) {
	let best = Infinity;
	for (let i = 1; i < POINTS.length; i++) {
		const [xa, ya] = POINTS[i - 1];
		const [xb, yb] = POINTS[i];
		const dx = xb - xa, dy = yb - ya;
		const t = Math.max(0, Math.min(1, ((x - xa) * dx + (y - ya) * dy) / (dx * dx + dy * dy)));
		best = Math.min(best, Math.hypot(x - xa - t * dx, y - ya - t * dy));
	}
	return best;
}

// ---------------------------------------------------------------- colour ---

/** '#rrggbb' to linear-light [r, g, b]. */
function hex(s) {
	return [1, 3, 5].map((i) => {
		const v = parseInt(s.slice(i, i + 2), 16) / 255;
		return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	});
}

function toSrgb8(v) {
	const s = v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
	return Math.round(Math.max(0, Math.min(1, s)) * 255);
}

function mix(a, b, t) {
	return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t);
}

// ------------------------------------------------------------------- PNG ---

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c;
});

function crc32(bytes) {
	let c = 0xffffffff;
	for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	Buffer.from(data).copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

function encodePng(size, rgba) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0); // width
	ihdr.writeUInt32BE(size, 4); // height
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // colour type: RGBA
	// compression, filter and interlace methods stay 0

	// Each scanline is prefixed with filter type 0 (None).
	const stride = size * 4;
	const raw = Buffer.alloc((stride + 1) * size);
	for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);

	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

// ------------------------------------------------------------------ main ---

const targets = [
	{ file: 'icon-192.png', size: 192 },
	{ file: 'icon-512.png', size: 512 },
	{ file: 'icon-maskable-512.png', size: 512, maskable: true }
];

mkdirSync(OUT_DIR, { recursive: true });
for (const { file, size, maskable } of targets) {
	const png = encodePng(size, render(size, { maskable }));
	writeFileSync(new URL(file, OUT_DIR), png);
	console.log(`static/icons/${file}  ${size}x${size}  ${png.length} bytes`);
}
