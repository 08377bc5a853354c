import { getLogger } from "@logtape/logtape";
import { isDatabaseUnavailable, OutageLog } from "../db/unavailable.ts";
import type { Deps } from "./deps.ts";
import { forgetExpiredAccountLinks } from "./services/account-links.ts";
import { forgetPastDays } from "./services/analytics/counting.ts";
import { runCoffeeRounds } from "./services/coffee.ts";
import { flagDormantCommunities, remindOfWaitingRequests } from "./services/community-health.ts";
import { sendDailyDigests, sendWeeklyDigests } from "./services/digest.ts";
import { refreshNetworkDirectory } from "./services/network-directory.ts";
import { notifyEventsStartingSoon } from "./services/reminders.ts";

const logger = getLogger(["praxis", "scheduler"]);
const tickMs = 5 * 60 * 1000;
const hourMs = 60 * 60 * 1000;
const outage = new OutageLog(logger, "the scheduler");

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
      // Without its database the job is only missed: the next run does its work.
      if (isDatabaseUnavailable(error)) outage.failed(error);
      else logger.error("A scheduled job failed: {error}", { error });
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  return () => clearInterval(timer);
}

/**
 * The periodic jobs of a worker: reminders of events starting soon, the daily and weekly
 * digests once their time has come, the community-health notices (dormant communities, join
 * requests waiting), the coffee rounds (COFFEE_SCHEDULE), reading the partners' directories
 * (DIRECTORY_REFRESH_SECONDS), and forgetting analytics' marks of days gone
 * (services/analytics/counting.ts) and mailed account links long expired.
 * Each job is safe to run on several workers at once.
 */
export function startScheduler(deps: Deps): () => void {
  const stops = [
    repeat(tickMs, async () => {
      const now = new Date();
      const reminded = await notifyEventsStartingSoon(deps, now);
      const digests = await sendDailyDigests(deps, now);
      const weeklyDigests = await sendWeeklyDigests(deps, now);
      if (reminded || digests || weeklyDigests)
        logger.info(
          "Reminded {reminded}, sent {digests} daily and {weeklyDigests} weekly digests",
          {
            reminded,
            digests,
            weeklyDigests,
          },
        );
    }),
    repeat(tickMs, async () => {
      const now = new Date();
      const dormant = await flagDormantCommunities(deps, now);
      const waiting = await remindOfWaitingRequests(deps, now);
      if (dormant || waiting)
        logger.info("Told {dormant} dormant communities, reminded {waiting} of waiting requests", {
          dormant,
          waiting,
        });
    }),
    repeat(tickMs, async () => {
      const groups = await runCoffeeRounds(deps, new Date());
      if (groups) logger.info("Made {groups} coffee groups", { groups });
    }),
    repeat(deps.config.directoryRefreshMs, () => refreshNetworkDirectory(deps)),
    repeat(tickMs, () => forgetPastDays(deps)),
    repeat(hourMs, async () => {
      await forgetExpiredAccountLinks(deps.db);
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
