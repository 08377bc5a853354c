import type { z } from "@hono/zod-openapi";
import type { Account, Author } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import type { Locale } from "../i18n.ts";
import type { Page } from "../pagination.ts";
import type { listAuditEntries } from "../services/audit.ts";
import type { CommentView } from "../services/comments.ts";
import type { CommunityView } from "../services/communities.ts";
import { isActiveCommunity } from "../services/community-activity.ts";
import type { EventView } from "../services/events.ts";
import type { FileView } from "../services/files.ts";
import { imageUrlsOf } from "../services/images.ts";
import type { InvitationView } from "../services/invitations.ts";
import { downloadUrlOf } from "../services/media-links.ts";
import type { MemberView } from "../services/membership.ts";
import { postUrl } from "../services/notifications.ts";
import type { PostView } from "../services/posts.ts";
import {
  commentMay,
  communityMay,
  isCommunityAdmin,
  mayAppointTranslators,
  postMay,
  type Relation,
  seesProfileDetails,
} from "../services/privacy.ts";
import type { TranslationView } from "../services/translations.ts";
import { actorUriOf, handleOf, refOf } from "../urls.ts";
import type * as schemas from "./schemas.ts";

/** A person's avatar: the 96 px size to show, and every size for `srcset`. */
function avatarJson(deps: Deps, person: Pick<Account, "avatar">) {
  const avatarUrls = imageUrlsOf(deps.config, "avatar", person.avatar);
  return { avatarUrl: avatarUrls?.["96"] ?? null, avatarUrls };
}

/**
 * A person as others see them; their profession, organisation and country are blank unless
 * `seesDetails` (the viewer may see them, by privacy.ts's seesProfileDetails).
 */
export function publicAccountJson(
  deps: Deps,
  account: Account,
  seesDetails: boolean,
): z.infer<typeof schemas.PublicAccount> {
  return {
    id: account.id,
    username: account.username,
    handle: handleOf(deps.config.publicUrl, account.username, account),
    displayName: account.displayName,
    profession: seesDetails ? account.profession : "",
    country: seesDetails ? account.country : "",
    organisation: seesDetails ? account.organisation : "",
    languages: account.languages,
    expertise: account.expertise,
    resourcePerson: account.resourcePerson,
    ...avatarJson(deps, account),
  };
}

export function ownAccountJson(deps: Deps, account: Account): z.infer<typeof schemas.OwnAccount> {
  return {
    ...publicAccountJson(deps, account, true),
    profileAudience: account.profileAudience,
    bio: account.bio,
    email: account.email ?? "",
    locale: account.locale as Locale,
    isAdmin: account.isAdmin,
    emailNotifications: account.emailNotifications,
    state: account.state,
    createdAt: account.createdAt.toISOString(),
  };
}

export function communityJson(deps: Deps, view: CommunityView): z.infer<typeof schemas.Community> {
  const { community } = view;
  const bannerUrls = imageUrlsOf(deps.config, "banner", community.banner);
  return {
    id: community.id,
    ref: refOf(community),
    handle: handleOf(deps.config.publicUrl, community.slug, community),
    uri: actorUriOf(deps.config.publicUrl, community.slug, community),
    name: community.name,
    summary: community.summary,
    privacy: community.privacy,
    hidden: community.hidden,
    archived: community.archived,
    parent: view.parentRef,
    conceptNote: community.conceptNote,
    eligibility: community.eligibility,
    principles: community.principles,
    memberCount: view.memberCount,
    topics: community.topics,
    languages: community.languages,
    countries: community.countries,
    lastActivityAt: community.lastActivityAt.toISOString(),
    active: isActiveCommunity(community, deps.config.inactivityDays),
    viewer: view.relation,
    may: communityMay(community, view.relation),
    bannerUrl: bannerUrls?.["1280x320"] ?? null,
    bannerUrls,
    createdAt: community.createdAt.toISOString(),
    updatedAt: community.updatedAt.toISOString(),
  };
}

/**
 * A member as `viewer` sees them, in their `relation` to the community: the request message
 * and decision reason only for admins, the profile details as the member chose.
 */
export function memberJson(
  deps: Deps,
  view: MemberView,
  viewer: Account | null,
  relation: Relation,
  translators?: ReadonlySet<string>,
): z.infer<typeof schemas.Member> {
  const { membership } = view;
  const forAdmin = isCommunityAdmin(relation);
  return {
    id: membership.id,
    account: publicAccountJson(
      deps,
      view.account,
      seesProfileDetails(view.account, viewer, relation),
    ),
    role: membership.role,
    state: membership.state,
    ...(forAdmin ? { message: membership.message, decisionReason: membership.decisionReason } : {}),
    ...(translators && mayAppointTranslators(relation)
      ? { translator: translators.has(membership.accountId) }
      : {}),
    createdAt: membership.createdAt.toISOString(),
    decidedAt: membership.decidedAt?.toISOString() ?? null,
  };
}

export function invitationJson(view: InvitationView): z.infer<typeof schemas.Invitation> {
  return {
    id: view.invitation.id,
    community: view.community?.slug ?? null,
    communityName: view.community?.name ?? null,
    email: view.invitation.email,
    handle: view.invitation.handle,
    expiresAt: view.invitation.expiresAt.toISOString(),
  };
}

export function authorJson(
  deps: Deps,
  author: Author | null,
): z.infer<typeof schemas.Author> | null {
  if (!author) return null;
  const { id, username, displayName } = author;
  return {
    id,
    username,
    handle: handleOf(deps.config.publicUrl, username, author),
    displayName,
    ...avatarJson(deps, author),
  };
}

/** Whoever reads an answer, for what they may do with it: null when nobody is signed in. */
type Reader = Pick<Account, "id"> | null;

export function postJson(deps: Deps, view: PostView, reader: Reader): z.infer<typeof schemas.Post> {
  const { post } = view;
  return {
    id: post.id,
    kind: post.kind,
    uri: post.uri ?? postUrl(deps, post.id),
    community: refOf(view.community),
    author: authorJson(deps, view.author),
    title: post.title,
    content: post.content,
    source: post.source,
    language: post.language,
    parent: post.parentPageId,
    position: post.position,
    locked: post.locked,
    pinned: post.pinned,
    likeCount: post.likeCount,
    commentCount: post.commentCount,
    deleted: post.deletedAt !== null,
    attachments: (view.attachments ?? []).map((file) => ({
      ...file,
      url: downloadUrlOf(deps.config, file, view.community),
    })),
    digestFeaturedAt: post.digestFeaturedAt?.toISOString() ?? null,
    editedAt: post.editedAt?.toISOString() ?? null,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    translations: (view.reading?.translations ?? []).map((each) => each.translation.language),
    translation: view.reading?.shown ? translationJson(deps, view.reading.shown) : null,
    mayTranslate: view.reading?.mayTranslate ?? false,
    mayAskMachineTranslation: view.reading?.mayAskMachine ?? false,
    may: postMay(post, reader, view.community, view.relation),
  };
}

export function translationJson(
  deps: Deps,
  { translation, translator }: TranslationView,
): z.infer<typeof schemas.Translation> {
  return {
    language: translation.language,
    title: translation.title,
    content: translation.content,
    source: translation.source,
    origin: translation.origin,
    translator: translator ? authorJson(deps, translator) : null,
    createdAt: translation.createdAt.toISOString(),
    updatedAt: translation.updatedAt.toISOString(),
  };
}

export function eventJson(
  deps: Deps,
  view: EventView,
  reader: Reader,
): z.infer<typeof schemas.Event> {
  const { details } = view;
  return {
    ...postJson(deps, view, reader),
    startsAt: details.startsAt.toISOString(),
    endsAt: details.endsAt.toISOString(),
    timezone: details.timezone,
    location: details.location,
    onlineUrl: details.onlineUrl,
    webinar: details.webinar,
    recordingUrl: details.recordingUrl,
    slidesUrl: details.slidesUrl,
    going: view.going,
    viewerRsvp: view.viewerRsvp,
  };
}

export function fileJson(
  deps: Deps,
  view: FileView,
  reader: Reader,
): z.infer<typeof schemas.SharedFile> {
  const { file } = view;
  return {
    ...postJson(deps, view, reader),
    file: {
      filename: file.filename,
      mediaType: file.mediaType,
      size: file.size,
      category: file.category,
      private: file.private,
      downloads: file.downloads,
      url: downloadUrlOf(deps.config, { id: view.post.id, private: file.private }, view.community),
    },
  };
}

export function commentJson(
  deps: Deps,
  view: CommentView,
  reader: Reader,
): z.infer<typeof schemas.Comment> {
  const { comment, thread } = view;
  return {
    id: comment.id,
    post: comment.postId,
    inReplyTo: comment.inReplyToId,
    author: authorJson(deps, view.author),
    content: comment.content,
    source: comment.source,
    language: comment.language,
    likeCount: comment.likeCount,
    deleted: comment.deletedAt !== null,
    editedAt: comment.editedAt?.toISOString() ?? null,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    may: commentMay(comment, thread.post, reader, thread.community, thread.relation),
  };
}

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>["items"][number];

/** A page of a community's or the instance's audit log. */
export function auditPageJson(page: Page<AuditRow>): Page<z.infer<typeof schemas.AuditEntry>> {
  return {
    items: page.items.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
    next: page.next,
  };
}
