import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink } from "@logtape/logtape";
import type { Config } from "./config.ts";
import { redactSecrets } from "./log-redaction.ts";

export async function configureLogging(level: Config["logLevel"]): Promise<void> {
  await configure({
    // Every record passes through the redaction, whichever library logged it.
    sinks: { console: redactSecrets(getConsoleSink()) },
    contextLocalStorage: new AsyncLocalStorage(),
    loggers: [
      { category: ["praxis"], lowestLevel: level, sinks: ["console"] },
      {
        category: ["fedify"],
        lowestLevel: level === "debug" ? "info" : "warning",
        sinks: ["console"],
      },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
