import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

// The web UI is bundled at build time (no CDN at run time: the cluster may have no egress).
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("./web-dist", import.meta.url)),
    emptyOutDir: true,
    // No source map in what the frontend serves: it would hand out the original sources (issue 12).
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: { "/api": "http://localhost:8080", "/ws": { target: "ws://localhost:8080", ws: true } },
  },
});
