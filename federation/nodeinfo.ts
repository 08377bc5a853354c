import type { Federation } from "@fedify/fedify";
import { and, eq, isNull } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import packageJson from "../package.json" with { type: "json" };
import type { FederationContext } from "./context.ts";

export function registerNodeInfo(federation: Federation<FederationContext>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const { db, config } = ctx.data.deps;
    const [users, listedCommunities] = await Promise.all([
      db.$count(accounts, and(eq(accounts.state, "active"), isNull(accounts.domain))),
      db.$count(communities, and(eq(communities.hidden, false), isNull(communities.domain))),
    ]);
    return {
      software: {
        name: "praxis",
        version: packageJson.version,
        homepage: new URL(config.publicUrl.origin),
      },
      protocols: ["activitypub"],
      openRegistrations: config.registrationMode === "open",
      usage: { users: { total: users }, localPosts: 0, localComments: 0 },
      metadata: { communities: listedCommunities, registrationMode: config.registrationMode },
    };
  });
}
