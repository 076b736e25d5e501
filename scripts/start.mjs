// `npm start`: install if needed, build the static site, serve it locally.
import { ensureDependencies, run } from './setup.mjs';

const port = process.env.PORT ?? '4173';
const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');
ensureDependencies();
run('npx', ['vite', 'build']);
run('node', ['scripts/serve.mjs', '--port', port, '--base', base]);
