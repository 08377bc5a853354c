import type { Federation } from "@fedify/fedify";
import { and, eq, isNull } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import { comments, posts } from "../db/schema/posts.ts";
import packageJson from "../package.json" with { type: "json" };
import { viewInstance } from "../server/services/instance-settings.ts";
import type { FederationContext } from "./context.ts";

export function registerNodeInfo(federation: Federation<FederationContext>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const { db, config } = ctx.data.deps;
    // NodeInfo counts what this server's own people wrote (no ActivityPub id from elsewhere),
    // members-only and hidden communities included: a total tells how much, never what or where.
    const [users, listedCommunities, localPosts, localComments, instance] = await Promise.all([
      db.$count(accounts, and(eq(accounts.state, "active"), isNull(accounts.domain))),
      db.$count(communities, and(eq(communities.hidden, false), isNull(communities.domain))),
      db.$count(posts, and(isNull(posts.uri), isNull(posts.deletedAt))),
      db.$count(comments, and(isNull(comments.uri), isNull(comments.deletedAt))),
      viewInstance(ctx.data.deps),
    ]);
    return {
      software: {
        name: "praxis",
        version: packageJson.version,
        homepage: new URL(config.publicUrl.origin),
      },
      protocols: ["activitypub"],
      openRegistrations: instance.registrationMode === "open",
      usage: { users: { total: users }, localPosts, localComments },
      metadata: {
        nodeName: instance.name,
        nodeDescription: instance.description,
        communities: listedCommunities,
        registrationMode: instance.registrationMode,
      },
    };
  });
}
