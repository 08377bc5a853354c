/**
 * jsonld (loaded by Fedify) bundles core-js, which on Node 20 replaces `JSON.stringify` and
 * `Array.prototype.push` for the whole process with JavaScript versions: an eighth of the
 * web process's CPU under load for the first, and a push five times slower than the
 * engine's for the second. Imported before anything loads Fedify, this module keeps the
 * engine's own, and `restoreEngineBuiltins` puts them back once everything is loaded.
 */
const engine = { stringify: JSON.stringify, push: Array.prototype.push };

export function restoreEngineBuiltins(): void {
  JSON.stringify = engine.stringify;
  Object.defineProperty(Array.prototype, "push", {
    value: engine.push,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
