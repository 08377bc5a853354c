import { getLogger } from "@logtape/logtape";
import type { Deps } from "./deps.ts";
import { sendDailyDigests } from "./services/digest.ts";
import { notifyEventsStartingSoon } from "./services/reminders.ts";

const logger = getLogger(["praxis", "scheduler"]);
const tickMs = 5 * 60 * 1000;

/**
 * The periodic jobs of a worker: reminders of events starting soon, and the daily digest
 * once its hour has come. Each job is safe to run on several workers at once.
 */
export function startScheduler(deps: Deps): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      const reminded = await notifyEventsStartingSoon(deps, now);
      const digests = await sendDailyDigests(deps, now);
      if (reminded || digests)
        logger.info("Reminded {reminded}, sent {digests} digests", { reminded, digests });
    } catch (error) {
      logger.error("A scheduled job failed: {error}", { error });
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), tickMs);
  return () => clearInterval(timer);
}
