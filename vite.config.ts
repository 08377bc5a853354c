import { defineConfig, type Plugin } from "vite";

/** Writes the build's hashed file names into the service worker, which caches them on install. */
function serviceWorkerAssets(): Plugin {
  return {
    name: "praxis:service-worker-assets",
    apply: "build",
    generateBundle(_options, bundle) {
      const worker = bundle["sw.js"];
      if (worker?.type !== "chunk") return;
      const assets = Object.keys(bundle)
        .filter((name) => name.startsWith("assets/"))
        .map((name) => `/${name}`);
      worker.code = worker.code.replaceAll("__BUILD_ASSETS__", JSON.stringify(assets));
    },
  };
}

/**
 * The client bundle: hashed files and a manifest the server reads to link them, and the
 * service worker, at the root of the site under a name that does not change.
 */
export default defineConfig({
  root: "client",
  publicDir: "public",
  plugins: [serviceWorkerAssets()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    manifest: true,
    target: "es2020",
    rollupOptions: {
      input: { main: "client/main.tsx", sw: "client/sw.ts" },
      output: {
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
});
