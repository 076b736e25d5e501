// The whole app runs in the browser (workers, IndexedDB): prerender an empty shell, render client-side.
export const prerender = true;
export const ssr = false;
