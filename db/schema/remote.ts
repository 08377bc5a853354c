import { text } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

/**
 * Where an actor on another server lives, as its own document says. All null for local
 * accounts and communities: `domain` is what tells the two apart.
 */
export const remoteActorColumns = () => ({
  /** host[:port] of the actor's server, as in its handle. */
  domain: text(),
  uri: text(),
  inbox: text(),
  sharedInbox: text(),
  followers: text(),
  fetchedAt: instant(),
});
