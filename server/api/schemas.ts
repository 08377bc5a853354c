import { z } from "@hono/zod-openapi";
import { accountStates, mailFrequencies, profileAudiences } from "../../db/schema/accounts.ts";
import { privacyLevels } from "../../db/schema/communities.ts";
import { rsvpStatuses } from "../../db/schema/events.ts";
import { memberRoles, membershipStates } from "../../db/schema/memberships.ts";
import { postKinds } from "../../db/schema/posts.ts";
import { supportedLocales } from "../i18n.ts";
import { maxAttachments } from "../services/attachments.ts";
import {
  distinctTopics,
  maxCountries,
  maxLanguages,
  maxTopicLength,
  maxTopics,
  normalCountry,
  normalLanguage,
  normalTopic,
} from "../services/community-facets.ts";
import { avatarSizes, bannerSizes, type ImageSize } from "../services/images.ts";
import { waysIn } from "../services/privacy.ts";
import {
  maxBioLength,
  maxExpertise,
  maxExpertiseLength,
  maxSpokenLanguages,
} from "../services/profiles.ts";

/** Mastodon-compatible usernames: they travel in `acct:` URIs and mentions. */
export const Username = z
  .string()
  .regex(/^[A-Za-z0-9_]{2,30}$/, { error: "username" })
  .openapi({ example: "amina_k", description: "2–30 letters, digits or underscores" });

export const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: "slug" })
  .refine((slug) => slug.length >= 2 && !slug.includes("--"), { error: "slug" })
  .openapi({
    example: "gender-sp",
    description: "2–64 lowercase letters, digits and single hyphens",
  });

export const Email = z.email({ error: "email" }).max(254).openapi({ example: "amina@example.org" });
export const Password = z.string().min(10).max(1024);
export const Locale = z.enum(supportedLocales);
export const Privacy = z.enum(privacyLevels);
export const Role = z.enum(memberRoles);
export const MembershipState = z.enum(membershipStates);

const shortText = (max: number) => z.string().trim().max(max);

export const ProfileFields = {
  displayName: shortText(100).optional(),
  emailNotifications: z.enum(mailFrequencies).optional(),
  locale: Locale.optional(),
  profession: shortText(200).optional(),
  country: shortText(100).optional(),
  organisation: shortText(200).optional(),
  profileAudience: z.enum(profileAudiences).optional().openapi({
    description:
      "Who sees your profession, organisation and country: everyone, the members of a community you are in, or its admins (default everyone; other servers get them only then)",
  }),
  bio: shortText(maxBioLength).optional().openapi({ description: "Plain text, shown as written" }),
  languages: z
    .array(z.lazy(() => LanguageTag))
    .max(maxSpokenLanguages)
    .overwrite((tags) => [...new Set(tags)])
    .optional()
    .openapi({ description: "The languages you speak, as BCP 47 tags" }),
  expertise: z
    .array(z.string().trim().min(1).max(maxExpertiseLength).overwrite(normalTopic))
    .max(maxExpertise)
    .overwrite(distinctTopics)
    .optional()
    .openapi({ description: "Topics you know about, at most 20 of 60 characters each" }),
  resourcePerson: z
    .boolean()
    .optional()
    .openapi({ description: "Whether you offer to be a resource person others may ask" }),
};

export const ConceptNote = z.object({
  overview: shortText(20_000).optional(),
  purpose: shortText(20_000).optional(),
  engagement: shortText(20_000).optional(),
});

export const Topic = z.string().trim().min(1).max(maxTopicLength).overwrite(normalTopic);
export const LanguageTag = z
  .string()
  .max(35)
  .refine((tag) => normalLanguage(tag) !== null)
  .overwrite((tag) => normalLanguage(tag) ?? tag)
  .openapi({ example: "pt-BR", description: "A BCP 47 language tag" });
export const CountryCode = z
  .string()
  .max(2)
  .refine((code) => normalCountry(code) !== null)
  .overwrite((code) => normalCountry(code) ?? code)
  .openapi({ example: "KE", description: "An ISO 3166-1 alpha-2 country code" });
const distinctCodes = (codes: string[]) => [...new Set(codes)];

export const CommunityFields = {
  name: shortText(200).min(1),
  summary: shortText(2_000).optional(),
  privacy: Privacy,
  hidden: z.boolean().optional(),
  conceptNote: ConceptNote.optional(),
  eligibility: shortText(5_000).optional(),
  principles: shortText(20_000).optional(),
  topics: z.array(Topic).max(maxTopics).overwrite(distinctTopics).optional(),
  languages: z.array(LanguageTag).max(maxLanguages).overwrite(distinctCodes).optional(),
  countries: z
    .array(CountryCode)
    .max(maxCountries)
    .overwrite(distinctCodes)
    .optional()
    .openapi({ description: "The countries the community focuses on" }),
};

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  cursor: z.string().max(500).optional(),
};

export const RefParam = z.object({
  ref: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: "ref", in: "path" }, example: "gender-sp" }),
});

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "community_not_found" }),
      message: z.string(),
      details: z
        .array(z.object({ field: z.string(), problem: z.string(), limit: z.number().optional() }))
        .optional(),
    }),
  })
  .openapi("Error");

/** Each stored size of an image by its name, or null when there is none. */
const imageSizeUrls = (sizes: readonly ImageSize[]) =>
  z.object(Object.fromEntries(sizes.map((size) => [size.name, z.string()]))).nullable();

export const AvatarUrls = imageSizeUrls(avatarSizes).openapi("AvatarUrls", {
  description: "Each square size (48, 96 and 256 px) as WebP; null without an avatar",
});
export const BannerUrls = imageSizeUrls(bannerSizes).openapi("BannerUrls", {
  description: "Each size (640×160 and 1280×320 px) as WebP; null without a banner",
});

export const PublicAccount = z
  .object({
    id: z.uuid(),
    username: z.string(),
    handle: z.string().openapi({ example: "@amina_k@praxis.example.org" }),
    displayName: z.string(),
    profession: z.string(),
    country: z.string(),
    organisation: z.string(),
    languages: z.array(z.string()),
    expertise: z.array(z.string()),
    resourcePerson: z.boolean(),
    avatarUrl: z.string().nullable().openapi({ description: "The 96 px avatar, if any" }),
    avatarUrls: AvatarUrls,
  })
  .openapi("PublicAccount");

export const OwnAccount = PublicAccount.extend({
  email: z.string(),
  locale: Locale,
  isAdmin: z.boolean(),
  emailNotifications: z.enum(mailFrequencies),
  profileAudience: z.enum(profileAudiences),
  bio: z.string(),
  state: z.enum(accountStates),
  createdAt: z.string(),
}).openapi("OwnAccount");

/** Each thing the viewer may do, as privacy.ts decides: the client shows only what is allowed. */
const mayFlags = <Name extends string>(descriptions: Record<Name, string>) =>
  z.object(
    Object.fromEntries(
      Object.entries<string>(descriptions).map(([name, description]) => [
        name,
        z.boolean().openapi({ description }),
      ]),
    ) as Record<Name, z.ZodBoolean>,
  );

export const CommunityMay = mayFlags({
  post: "Publish discussions, files, pages and events (active members, not in an archive)",
  announce: "Publish announcements, which notify every member (moderators and up)",
  moderate: "Decide on reports and answer members' questions (moderators and up)",
  administer: "Change settings, decide on join requests, manage members (owners and admins)",
  createGroup: "Open a working group in it (admins of a top-level community, not archived)",
  handOver: "Make another member an owner (owners)",
  leave: "Leave it, or withdraw a request still waiting (its last owner must hand it over first)",
  connect:
    "Take part in its coffee rounds and ask its facilitators (its members, where it is hosted here)",
})
  .extend({
    join: z.enum(waysIn).nullable().openapi({
      description:
        "How you come in: join at once, ask its admins, or only by invitation; null for its members, those it banned, and in an archive",
    }),
    requestNeedsMessage: z.boolean().openapi({
      description:
        "Whether your request to join must say how you meet its eligibility (where it states one); false unless join is request",
    }),
  })
  .openapi("CommunityMay", { description: "What you may do in the community" });

export const Community = z
  .object({
    id: z.uuid(),
    ref: z.string(),
    handle: z.string().openapi({ example: "@gender-sp@praxis.example.org" }),
    uri: z.string(),
    name: z.string(),
    summary: z.string(),
    privacy: Privacy,
    hidden: z.boolean(),
    archived: z.boolean(),
    parent: z.string().nullable(),
    conceptNote: z.object({ overview: z.string(), purpose: z.string(), engagement: z.string() }),
    eligibility: z.string(),
    principles: z.string(),
    memberCount: z.number().int(),
    topics: z.array(z.string()),
    languages: z.array(z.string()),
    countries: z.array(z.string()),
    lastActivityAt: z.string().openapi({ description: "Its latest post or comment" }),
    active: z.boolean().openapi({ description: "Whether it had new content within a year" }),
    viewer: z.object({ state: MembershipState, role: Role }).nullable(),
    may: CommunityMay,
    bannerUrl: z.string().nullable().openapi({ description: "The 1280×320 banner, if any" }),
    bannerUrls: BannerUrls,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Community");

export const Member = z
  .object({
    id: z.uuid(),
    account: PublicAccount,
    role: Role,
    state: MembershipState,
    message: z.string().optional(),
    decisionReason: z.string().optional(),
    translator: z.boolean().optional().openapi({
      description:
        "Whether the community's admins appointed them translator; told to those admins only",
    }),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi("Member");

export const Invitation = z
  .object({
    id: z.uuid(),
    community: z.string().nullable(),
    communityName: z.string().nullable(),
    email: z.string().nullable(),
    handle: z.string().nullable(),
    expiresAt: z.string(),
  })
  .openapi("Invitation");

export const AuditEntry = z
  .object({
    id: z.uuid(),
    action: z.string(),
    actor: z.string().nullable(),
    target: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next: z.string().nullable() });
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

const errorResponse = (description: string) => jsonResponse(ErrorBody, description);

/** The error answers every route can give, for the OpenAPI document. */
export const errorResponses = {
  400: errorResponse("Bad input"),
  401: errorResponse("Not signed in"),
  403: errorResponse("Not allowed"),
  404: errorResponse("Not found, or not visible to you"),
  409: errorResponse("Conflict"),
  413: errorResponse("Too large"),
  422: errorResponse("A rule was violated"),
} as const;

export const PostKind = z.enum(postKinds);

/** Markdown bodies: up to 512 KB of text; the API's 1 MB body limit answers 413 above that. */
export const MarkdownText = z
  .string()
  .trim()
  .min(1)
  .max(512 * 1024);

export const Author = PublicAccount.pick({
  id: true,
  username: true,
  handle: true,
  displayName: true,
  avatarUrl: true,
  avatarUrls: true,
}).openapi("Author");

export const Attachment = z
  .object({
    id: z.uuid(),
    title: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    private: z.boolean(),
    url: z.string().openapi({ description: "Where to download it" }),
  })
  .openapi("Attachment");

/** Files to attach, by id: files shared in the same community. */
export const AttachmentIds = z.array(z.uuid()).max(maxAttachments);

export const TranslationOrigin = z.enum(["human", "machine"]);

export const Translation = z
  .object({
    language: z.string(),
    title: z.string(),
    content: z.string().openapi({ description: "Sanitised HTML" }),
    source: z.string().openapi({ description: "Markdown as written (text, for a machine's)" }),
    origin: TranslationOrigin.openapi({ description: "A person's translation, or a machine's" }),
    translator: Author.nullable().openapi({ description: "Who translated it, when known here" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Translation");

export const PostMay = mayFlags({
  edit: "Change its text (its author, while they may write there)",
  delete: "Delete it (its author, or the community's moderators)",
  moderate: "Pin, lock, or feature it for the weekly mail (moderators and up)",
  reply: "Comment on it (members who may write there, unless it is locked)",
}).openapi("PostMay", { description: "What you may do with the post" });

export const Post = z
  .object({
    id: z.uuid(),
    kind: PostKind,
    uri: z.string(),
    community: z.string(),
    author: Author.nullable(),
    title: z.string(),
    content: z.string().openapi({ description: "Sanitised HTML rendered from `source`" }),
    source: z.string().openapi({ description: "Markdown as written" }),
    language: z.string(),
    parent: z.string().nullable(),
    position: z.number().int(),
    locked: z.boolean(),
    pinned: z.boolean(),
    likeCount: z.number().int(),
    commentCount: z.number().int(),
    deleted: z.boolean(),
    attachments: z.array(Attachment),
    digestFeaturedAt: z
      .string()
      .nullable()
      .openapi({ description: "When its facilitators featured it for the weekly mail" }),
    editedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    translations: z
      .array(z.string())
      .openapi({ description: "The languages it is translated into, besides `language`" }),
    translation: Translation.nullable().openapi({
      description:
        "The version in the reader's language, when there is one and `?original=1` was not asked; `title` and `content` stay the original",
    }),
    mayTranslate: z.boolean().openapi({ description: "Whether the viewer may add translations" }),
    mayAskMachineTranslation: z
      .boolean()
      .openapi({ description: "Whether the viewer may ask a machine for one in their language" }),
    may: PostMay,
  })
  .openapi("Post");

export const RsvpStatus = z.enum(rsvpStatuses);

export const Event = Post.extend({
  startsAt: z.string().openapi({ description: "UTC instant" }),
  endsAt: z.string().openapi({ description: "UTC instant" }),
  timezone: z.string(),
  location: z.string(),
  onlineUrl: z.string().nullable(),
  webinar: z.boolean(),
  recordingUrl: z.string().nullable(),
  slidesUrl: z.string().nullable(),
  going: z.number().int(),
  viewerRsvp: RsvpStatus.nullable(),
}).openapi("Event");

export const SharedFile = Post.extend({
  file: z.object({
    filename: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    category: z.string(),
    private: z.boolean(),
    downloads: z.number().int(),
    url: z.string(),
  }),
}).openapi("SharedFile");

export const CommentMay = mayFlags({
  edit: "Change its text (its author, while they may write there and the thread is open)",
  delete: "Delete it (its author, or the community's moderators)",
}).openapi("CommentMay", { description: "What you may do with the comment" });

export const Comment = z
  .object({
    id: z.uuid(),
    post: z.uuid(),
    inReplyTo: z.uuid().nullable(),
    author: Author.nullable(),
    content: z.string(),
    source: z.string(),
    language: z.string(),
    likeCount: z.number().int(),
    deleted: z.boolean(),
    editedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    may: CommentMay,
  })
  .openapi("Comment");

export const Notification = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    community: z.uuid().nullable(),
    subject: z.uuid().nullable(),
    data: z.record(z.string(), z.string()),
    actor: z
      .object({ username: z.string(), displayName: z.string(), handle: z.string() })
      .nullable()
      .openapi({ description: "Who caused it; null when no one here did" }),
    place: z
      .object({ ref: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "The community it happened in" }),
    target: z.string().nullable().openapi({
      description: "The site path it is about; `/notifications/{id}/open` leads there",
    }),
    read: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Notification");

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
