/**
 * A labelled anomaly window as row indices, inclusive at both ends (`[startRow, endRow]`).
 * Rows, not timestamps: some NAB files repeat or step back in time, so only the index is reliable.
 * Lists of windows are sorted by startRow and never overlap.
 */
export type RowWindow = readonly [startRow: number, endRow: number];
