/** Saves a Blob as a file the browser downloads (an object URL on a temporary link). */
export function download(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// Revoked once the download has had time to start; the file itself is not affected.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
