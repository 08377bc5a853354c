import { writeFileSync } from "node:fs";

/**
 * Loaded with `--import` before a server starts: notes the engine's own builtins, and when
 * the process ends writes to ENGINE_PROBE_OUT whether they are still the ones in use.
 */
const engine = { stringify: JSON.stringify, push: Array.prototype.push };

process.on("exit", () => {
  const out = process.env.ENGINE_PROBE_OUT;
  if (!out) return;
  writeFileSync(
    out,
    JSON.stringify({
      stringify: JSON.stringify === engine.stringify,
      push: Array.prototype.push === engine.push,
    }),
  );
});
