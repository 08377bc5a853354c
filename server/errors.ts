/**
 * Every rule a request can break, with the HTTP status it answers with. The message
 * shown to people is `errors.<code>` in locales/, translated per request.
 */
export const errorStatus = {
  invalid_input: 400,
  malformed_json: 400,
  malformed_address: 400,
  invalid_date_range: 400,
  invalid_plan_date: 400,
  unsupported_media_type: 415,
  file_type_not_allowed: 415,
  not_an_image: 415,
  not_signed_in: 401,
  invalid_credentials: 401,
  wrong_password: 403,
  session_expired: 401,
  cross_site_request: 403,
  forbidden: 403,
  admin_only: 403,
  account_pending: 403,
  account_rejected: 403,
  account_suspended: 403,
  registration_closed: 403,
  invitation_required: 403,
  banned: 403,
  parent_membership_required: 403,
  members_only: 403,
  moderators_only: 403,
  not_author: 403,
  not_found: 404,
  community_not_found: 404,
  member_not_found: 404,
  account_not_found: 404,
  account_gone: 410,
  invitation_not_found: 404,
  post_not_found: 404,
  comment_not_found: 404,
  report_not_found: 404,
  question_not_found: 404,
  conversation_not_found: 404,
  name_taken: 409,
  email_taken: 409,
  email_unchanged: 422,
  already_decided: 409,
  already_reported: 409,
  question_answered: 409,
  already_member: 409,
  invitation_used: 409,
  invitation_expired: 410,
  payload_too_large: 413,
  file_too_large: 413,
  image_too_large: 413,
  image_too_many_pixels: 422,
  community_archived: 422,
  community_elsewhere: 422,
  message_required: 422,
  last_owner: 422,
  insufficient_role: 403,
  cannot_manage_self: 422,
  assignee_not_member: 422,
  author_is_local: 422,
  nothing_to_remove: 422,
  no_community_to_act_in: 422,
  parent_not_allowed: 422,
  thread_locked: 422,
  post_deleted: 422,
  parent_page_invalid: 422,
  reply_target_invalid: 422,
  attachment_invalid: 422,
  too_many_attachments: 422,
  json_upload_needs_media_origin: 422,
  unknown_time_zone: 422,
  event_ends_before_start: 422,
  markdown_too_long: 422,
  markdown_too_deep: 422,
  too_many_participants: 422,
  recipient_invalid: 422,
  handle_not_local: 422,
  domain_blocked: 403,
  blocked: 403,
  rate_limited: 429,
  too_many_sign_in_attempts: 429,
  sign_in_locked: 429,
  too_many_registrations: 429,
  too_many_password_resets: 429,
  too_many_invitations: 429,
  too_many_writes: 429,
  too_many_uploads: 429,
  too_many_reports: 429,
  weak_password: 422,
  not_translator: 403,
  translation_not_found: 404,
  translation_in_original_language: 422,
  machine_translation_unavailable: 501,
  translation_service_failed: 502,
  translation_service_timeout: 504,
  home_server_unavailable: 502,
  database_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A broken rule, raised by services and turned into an HTTP answer in one place. */
export class DomainError extends Error {
  readonly status: (typeof errorStatus)[ErrorCode];

  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = "DomainError";
    this.status = errorStatus[code];
  }
}

/** A limit reached: answered 429 with `Retry-After`, and a message saying how long to wait. */
export class TooManyRequests extends DomainError {
  readonly retryAfterSeconds: number;

  constructor(code: ErrorCode, waitMs: number) {
    // Whole minutes for people (the message), whole seconds for programs (the header).
    super(code, { wait: Math.max(1, Math.ceil(waitMs / 60_000)) });
    this.name = "TooManyRequests";
    this.retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  }
}
