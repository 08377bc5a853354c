import { runInNewContext } from "node:vm";

/**
 * Fedify 2.3 reads `navigator.userAgent` unguarded when importing JWKs; Node 20 has no
 * global `navigator` (Node 21+ does). Provide the same minimal object Node 21 does.
 */
if (!("navigator" in globalThis)) {
  Object.defineProperty(globalThis, "navigator", {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
  });
}

/**
 * jsonld (under Fedify) bundles core-js, which on Node 20 (no `JSON.rawJSON`) replaces
 * `JSON.stringify` for the whole process with a JavaScript version that calls back for every
 * key: it was an eighth of the web process's CPU under load. The engine's own is taken from
 * a fresh context, which core-js never touched, whatever was loaded first.
 */
export function restoreNativeJson(): void {
  JSON.stringify = runInNewContext("JSON.stringify");
}
