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
