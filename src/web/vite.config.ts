import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// `vite build src/web` (the prepare script): the app in dist/web, served by src/server/routes/home.route.ts.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // ECharts alone is ~620 KB minified (~210 KB gzipped), loaded on demand after the first paint.
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
