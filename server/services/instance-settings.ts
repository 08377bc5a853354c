import { eq } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import type { Account } from "../../db/schema/accounts.ts";
import { type InstanceSettings, instanceSettings } from "../../db/schema/instance-settings.ts";
import type { RegistrationMode } from "../config.ts";
import type { Deps } from "../deps.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { recordDecision, settingChanges } from "./audit.ts";

/** What anyone may read about this server: its name, description, rules and how to join. */
export interface InstanceFace {
  name: string;
  description: string;
  rules: string[];
  registrationMode: RegistrationMode;
}

export type InstanceChanges = Partial<Omit<InstanceFace, "registrationMode">> & {
  /** Null gives the choice back to REGISTRATION_MODE. */
  registrationMode?: RegistrationMode | null | undefined;
};

async function storedSettings(db: Executor): Promise<InstanceSettings | undefined> {
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.id, true));
  return row;
}

/** The administrator's settings over the configuration's: unset, the host names the server. */
function faceOf(deps: Deps, row: InstanceSettings | undefined): InstanceFace {
  return {
    name: row?.name || deps.config.publicUrl.host,
    description: row?.description ?? "",
    rules: row?.rules ?? [],
    registrationMode: row?.registrationMode ?? deps.config.registrationMode,
  };
}

export async function viewInstance(deps: Deps, db: Executor = deps.db): Promise<InstanceFace> {
  return faceOf(deps, await storedSettings(db));
}

/** How people may register now: the administrator's choice, else REGISTRATION_MODE. */
export async function effectiveRegistrationMode(
  deps: Deps,
  db: Executor = deps.db,
): Promise<RegistrationMode> {
  return (await viewInstance(deps, db)).registrationMode;
}

/** Settings short enough for the log to keep what they were and what they became. */
const loggedValues = new Set<string>(["name", "registrationMode"]);

export async function updateInstance(
  deps: Deps,
  viewer: Account,
  changes: InstanceChanges,
): Promise<InstanceFace> {
  assertInstanceAdmin(viewer);
  const set = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as Partial<InstanceSettings>;
  return deps.db.transaction(async (tx) => {
    const before = faceOf(deps, await storedSettings(tx));
    const [row] = await tx
      .insert(instanceSettings)
      .values({ id: true, ...set })
      .onConflictDoUpdate({ target: instanceSettings.id, set: { ...set, updatedAt: new Date() } })
      .returning();
    const after = faceOf(deps, row);
    // Compared as people see them: a mode given back to REGISTRATION_MODE becomes that mode.
    const touched = settingChanges(before, after, loggedValues);
    if (touched.length > 0) {
      await recordDecision(tx, {
        communityId: null,
        actorId: viewer.id,
        action: "instance_updated",
        details: { changes: touched },
      });
    }
    return after;
  });
}
