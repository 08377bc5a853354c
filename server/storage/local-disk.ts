import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { FileStorage } from "./storage.ts";

/** Files under one folder, spread over two levels of subfolders by their key's first characters. */
export function localDiskStorage(folder: string): FileStorage {
  const root = resolve(folder);
  const pathOf = (key: string) => {
    if (!/^[a-z0-9-]{8,}$/.test(key)) throw new Error(`invalid storage key ${key}`);
    return join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes, { flag: "wx" });
    },
    async get(key) {
      const buffer = await readFile(pathOf(key));
      return new Uint8Array(
        buffer.buffer,
        buffer.byteOffset,
        buffer.byteLength,
      ) as Uint8Array<ArrayBuffer>;
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
