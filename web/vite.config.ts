import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app is served by the gateway from web/dist, on the same origin as /graphql; `vite` (dev server) proxies
 * the gateway's paths to a running `npm start`.
 */
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: {
    proxy: Object.fromEntries(['/graphql', '/auth', '/health'].map((path) => [path, 'http://localhost:4000'])),
  },
});
