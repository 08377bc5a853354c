import type { z } from "@hono/zod-openapi";
import type * as accounts from "./accounts.ts";
import type * as admin from "./admin.ts";
import type * as coffee from "./coffee.ts";
import type * as communities from "./communities.ts";
import type * as directory from "./directory.ts";
import type * as instance from "./instance.ts";
import type * as invitations from "./invitations.ts";
import type * as messages from "./messages.ts";
import type * as profiles from "./profiles.ts";
import type * as questions from "./questions.ts";
import type * as reports from "./reports.ts";
import type * as schemas from "./schemas.ts";
import type * as search from "./search.ts";

/*
 * The API's answers as TypeScript types, inferred from the schemas that validate them and
 * write the OpenAPI document: the client imports these (`import type`, erased from its
 * bundle) instead of restating them.
 */

export type Me = z.output<typeof schemas.OwnAccount>;
export type EmailAddresses = z.output<typeof accounts.EmailAddresses>;
export type Person = z.output<typeof schemas.PublicAccount>;
export type Author = z.output<typeof schemas.Author>;
export type Profile = z.output<typeof profiles.Profile>;
export type Community = z.output<typeof schemas.Community>;
export type CommunityMay = z.output<typeof schemas.CommunityMay>;
export type CommunityProfile = z.output<typeof communities.CommunityProfile>;
export type DirectoryFacets = z.output<typeof directory.DirectoryFacets>;
export type Member = z.output<typeof schemas.Member>;
export type Invitation = z.output<typeof schemas.Invitation>;
export type InvitationPreview = z.output<typeof invitations.InvitationPreview>;
export type Post = z.output<typeof schemas.Post>;
export type CalendarEvent = z.output<typeof schemas.Event>;
export type SharedFile = z.output<typeof schemas.SharedFile>;
export type Translation = z.output<typeof schemas.Translation>;
export type Comment = z.output<typeof schemas.Comment>;
export type Notification = z.output<typeof schemas.Notification>;
export type Question = z.output<typeof questions.Question>;
export type Conversation = z.output<typeof messages.Conversation>;
export type Message = z.output<typeof messages.Message>;
export type SearchHit = z.output<typeof search.Hit>;
export type Report = z.output<typeof reports.Report>;
export type CoffeeStatus = z.output<typeof coffee.CoffeeStatus>;
export type Instance = z.output<typeof instance.Instance>;
export type AuditEntry = z.output<typeof schemas.AuditEntry>;
export type HostedCommunity = z.output<typeof admin.HostedCommunity>;
export type DomainBlocks = z.output<typeof admin.DomainBlocks>;
