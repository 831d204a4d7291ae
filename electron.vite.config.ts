import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The page's Content-Security-Policy forbids inline scripts, which is right for the built app but
 * blocks the inline React-refresh preamble of the dev server; so the dev server serves the page
 * without it. Builds keep it untouched.
 */
const dropPolicyWhileServing: Plugin = {
  name: 'hotline-console:drop-csp-while-serving',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
};

// One build for the three Electron targets. The renderer output (out/renderer) is also what the
// browser mode (`hotline-console serve`) serves, so both modes run the very same UI bundle.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          // The speech worker runs in a utility process of its own; main.ts forks it by this name.
          'speech-utility': resolve(__dirname, 'src-main/electron/speech-utility.ts'),
          // Category-model training runs in a worker thread; train-in-worker.ts finds it by this name.
          'category-training-thread': resolve(__dirname, 'src-main/core/drafting/training/category-training-thread.ts'),
        },
      },
      // Native modules and the CJS SQLite driver are loaded from node_modules at run time.
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        // Sandboxed preloads must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
      chunkSizeWarningLimit: 4000,
    },
    plugins: [react(), dropPolicyWhileServing],
  },
});
