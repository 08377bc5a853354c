import { defineConfig } from "vite";

/** The client bundle: hashed files and a manifest the server reads to link them. */
export default defineConfig({
  root: "client",
  publicDir: "public",
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    manifest: true,
    target: "es2020",
    rollupOptions: { input: "client/main.tsx" },
  },
});
