import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder. The server runs from its sources in the tests and from the compiled
 * copy under dist/node with `npm start`, so the files beside the code (locales, migrations,
 * the built client) are found from here rather than from each module's own place. The
 * lock file marks it: the compiled copy holds package.json too (the server imports it).
 */
function findProjectRoot(from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, "package-lock.json"))) return dir;
  }
  throw new Error(`No package-lock.json above ${from}: is Praxis installed as a whole?`);
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project's folder. */
export const projectPath = (...segments: string[]): string => join(projectRoot, ...segments);
