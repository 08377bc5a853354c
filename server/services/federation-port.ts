import type { Executor } from "../../db/index.ts";
import type { Account } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";

/** An account or a community, as this server keeps it. */
export type StoredActor =
  | { kind: "account"; account: Account }
  | { kind: "community"; community: Community };

/**
 * Changes other servers must hear of. Services name what happened; federation/ decides
 * which activities that means and for whom.
 */
export type FederationEvent =
  /** A local person asks to join a community on another server. */
  | { type: "join_requested"; membershipId: string }
  /** A local person leaves a community on another server. */
  | { type: "left"; communityId: string; accountId: string; followUri: string | null }
  /** A person on another server was invited by handle to a local community. */
  | { type: "invited_elsewhere"; membershipId: string }
  /** A local person was admitted to a community on another server. */
  | { type: "admitted_elsewhere"; membershipId: string }
  /** A person on another server was admitted to, or refused by, a local community. */
  | { type: "join_decided"; membershipId: string }
  /** A post was written: its community's other servers (or its home server) must get it. */
  | { type: "post_created"; postId: string }
  | { type: "comment_created"; commentId: string }
  | { type: "post_updated"; postId: string }
  | { type: "comment_updated"; commentId: string }
  /** `deletedById` is the author or a moderator; the tombstone keeps the id. */
  | { type: "post_deleted"; postId: string; deletedById: string }
  | { type: "comment_deleted"; commentId: string; deletedById: string }
  | {
      type: "liked";
      target: "post" | "comment";
      targetId: string;
      accountId: string;
      liked: boolean;
    }
  /**
   * A local person deleted their account; `communityIds` are the communities they were known
   * in (their memberships are gone by the time this is sent).
   */
  | { type: "account_deleted"; accountId: string; communityIds: string[] }
  /** Someone here reported a post or comment and asked for its author's server to be told. */
  | { type: "report_filed"; reportId: string }
  /** A local person sent a direct message: its participants elsewhere must get it. */
  | { type: "message_sent"; messageId: string; conversationId: string }
  /** A local person blocked (or unblocked) a person on another server; `uri` names the Block. */
  | { type: "blocked"; blockerId: string; blockedId: string; uri: string }
  | { type: "unblocked"; blockerId: string; blockedId: string; uri: string }
  /** A local community's settings, About page or member count changed. */
  | { type: "community_updated"; communityId: string }
  /** A person on another server is no longer a member of a local community. */
  | {
      type: "member_dropped";
      communityId: string;
      accountId: string;
      followUri: string | null;
      reason: "removed" | "banned";
    };

/** What the domain asks of federation; services never import Fedify. */
export interface FederationPort {
  /** Looks `slug@domain` up on its server and keeps a copy here; null when there is none. */
  resolveCommunity(slug: string, domain: string): Promise<Community | null>;
  /** Looks `name@domain` up on its server, whatever it names, and keeps a copy here. */
  resolveActor(name: string, domain: string): Promise<StoredActor | null>;
  /** The person on another server who signed `request`, if a verified signature says so. */
  signerOf(request: Request): Promise<Account | null>;
  /** A members-only file of a community elsewhere, fetched from its home as `member`. */
  fetchFileAs(member: Account, url: string): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Reads the directory the server at `host` publishes and keeps a copy here of each listed
   * community; answers how many it lists, or null when it could not be read (logged).
   */
  readDirectoryOf(host: string): Promise<number | null>;
  /**
   * Queues what `event` means for other servers in `tx`, so that the change and its
   * deliveries commit together or not at all.
   */
  publish(tx: Executor, event: FederationEvent): Promise<void>;
}

/** Until federation is attached (and in services' own unit tests) nothing leaves. */
export const offlineFederation: FederationPort = {
  resolveCommunity: async () => null,
  resolveActor: async () => null,
  signerOf: async () => null,
  fetchFileAs: async () => {
    throw new Error("federation is not attached");
  },
  readDirectoryOf: async () => null,
  publish: async () => {},
};
