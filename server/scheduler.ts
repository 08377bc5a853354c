import { getLogger } from "@logtape/logtape";
import type { Deps } from "./deps.ts";
import { sendDailyDigests } from "./services/digest.ts";
import { refreshNetworkDirectory } from "./services/network-directory.ts";
import { notifyEventsStartingSoon } from "./services/reminders.ts";

const logger = getLogger(["praxis", "scheduler"]);
const tickMs = 5 * 60 * 1000;

/**
 * Runs `job` now and then every `everyMs`, never twice at once: a run that outlasts the
 * period is not joined by the next. Answers a function that stops it.
 */
function repeat(everyMs: number, job: () => Promise<void>): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (error) {
      logger.error("A scheduled job failed: {error}", { error });
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  return () => clearInterval(timer);
}

/**
 * The periodic jobs of a worker: reminders of events starting soon, the daily digest once
 * its hour has come, and reading the partners' directories (DIRECTORY_REFRESH_SECONDS).
 * Each job is safe to run on several workers at once.
 */
export function startScheduler(deps: Deps): () => void {
  const stops = [
    repeat(tickMs, async () => {
      const now = new Date();
      const reminded = await notifyEventsStartingSoon(deps, now);
      const digests = await sendDailyDigests(deps, now);
      if (reminded || digests)
        logger.info("Reminded {reminded}, sent {digests} digests", { reminded, digests });
    }),
    repeat(deps.config.directoryRefreshMs, () => refreshNetworkDirectory(deps)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
