import { useEffect, useState } from "preact/hooks";
import type { Community, Member, Post } from "../api.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction, usePublish } from "./use-action.ts";

export interface ToolProps {
  community: Community;
  items: unknown[] | null;
}

/** Sharing a file into a category, optionally for members only. */
export function FileUpload({ community }: ToolProps) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const data = new FormData(form);
        data.set("private", String(data.get("private") === "on"));
        publish(form, () => api.post(`/communities/${community.ref}/files`, data));
      }}
    >
      <h2>{t("tools.shareFile")}</h2>
      <label for="file">{t("tools.file")}</label>
      <input id="file" name="file" type="file" required />
      <label for="file-title">{t("compose.title")}</label>
      <input id="file-title" name="title" />
      <label for="category">{t("tools.category")}</label>
      <input id="category" name="category" list="categories" />
      <div class="choice">
        <input id="private" name="private" type="checkbox" />
        <label for="private">{t("tools.privateFile")}</label>
      </div>
      <button type="submit" disabled={busy}>
        {t("tools.upload")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

const zones = (): string[] =>
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];

/** A calendar entry: local date and time in a chosen zone, sent as instants plus the zone. */
export function EventForm({ community }: ToolProps) {
  const { t, api, timeZone } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const f = fieldsOf(event);
        publish(form, () =>
          api.post(`/communities/${community.ref}/events`, {
            title: f.title,
            content: f.content,
            // The server reads local times in the chosen zone when they carry no offset.
            startsAt: f.startsAt,
            endsAt: f.endsAt,
            timezone: f.timezone,
            location: f.location || undefined,
            onlineUrl: f.onlineUrl || undefined,
          }),
        );
      }}
    >
      <h2>{t("tools.newEvent")}</h2>
      <label for="event-title">{t("compose.title")}</label>
      <input id="event-title" name="title" required />
      <label for="event-content">{t("compose.content")}</label>
      <textarea id="event-content" name="content" rows={3} required />
      <label for="startsAt">{t("tools.startsAt")}</label>
      <input id="startsAt" name="startsAt" type="datetime-local" required />
      <label for="endsAt">{t("tools.endsAt")}</label>
      <input id="endsAt" name="endsAt" type="datetime-local" required />
      <label for="timezone">{t("tools.timezone")}</label>
      {/* A select drawn in the browser ignores defaultValue in Preact: mark the option. */}
      <select id="timezone" name="timezone">
        {zones().map((zone) => (
          <option key={zone} value={zone} selected={zone === (timeZone ?? "UTC")}>
            {zone}
          </option>
        ))}
      </select>
      <label for="location">{t("tools.location")}</label>
      <input id="location" name="location" />
      <label for="onlineUrl">{t("tools.onlineUrl")}</label>
      <input id="onlineUrl" name="onlineUrl" type="url" />
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/** A resource page placed in the tree of topics, under a parent or at the top. */
export function PageForm({ community, items }: ToolProps) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  const pages = (items ?? []) as (Post & { parent?: string | null })[];
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { title, content, parent } = fieldsOf(event);
        publish(form, () =>
          api.post(`/communities/${community.ref}/pages`, {
            title,
            content,
            ...(parent ? { parent } : {}),
          }),
        );
      }}
    >
      <h2>{t("tools.newPage")}</h2>
      <label for="page-title">{t("compose.title")}</label>
      <input id="page-title" name="title" required />
      <label for="page-parent">{t("tools.parentPage")}</label>
      <select id="page-parent" name="parent">
        <option value="">{t("tools.topLevel")}</option>
        {pages.map((page) => (
          <option key={page.id} value={page.id}>
            {page.title}
          </option>
        ))}
      </select>
      <label for="page-content">{t("compose.content")}</label>
      <textarea id="page-content" name="content" rows={6} required />
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

const roles = ["member", "moderator", "admin"] as const;

/** Roles, removal and bans, invitations, archiving and the log of decisions. */
export function MemberAdmin({ community, items }: ToolProps) {
  const { t, api, refresh, locale, timeZone } = useShell();
  const { busy, error, run } = useAction();
  const members = (items ?? []) as Member[];
  const [invited, setInvited] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [log, setLog] = useState<
    { id: string; action: string; actor: string | null; target: string | null; createdAt: string }[]
  >([]);
  useEffect(() => {
    void api
      .get<{ items: typeof log }>(`/communities/${community.ref}/audit?limit=20`)
      .then((page) => setLog(page.items))
      .catch(() => setLog([]));
  }, [community.ref, items, logVersion]);
  const path = (member: Member) => `/communities/${community.ref}/members/${member.id}`;
  return (
    <section class="panel">
      <h2>{t("tools.manage")}</h2>
      <ul class="cards">
        {members
          .filter((member) => member.role !== "owner")
          .map((member) => (
            <li key={member.id} class="card row">
              <span>{member.account.displayName || member.account.username}</span>
              <label class="visually-hidden" for={`role-${member.id}`}>
                {t("tools.role")}
              </label>
              <select
                id={`role-${member.id}`}
                value={member.role}
                disabled={busy}
                onChange={(event) =>
                  void run(() => api.patch(path(member), { role: event.currentTarget.value })).then(
                    refresh,
                  )
                }
              >
                {roles.map((role) => (
                  <option key={role} value={role}>
                    {t(`roles.${role}`)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void run(() => api.delete(path(member))).then(refresh)}
              >
                {t("tools.remove")}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() =>
                  void run(() => api.patch(path(member), { state: "banned" })).then(refresh)
                }
              >
                {t("tools.ban")}
              </button>
            </li>
          ))}
      </ul>
      <form
        class="row"
        onSubmit={(event) => {
          const form = event.currentTarget as HTMLFormElement;
          const { invitee } = fieldsOf(event);
          // "@name@server" or a local name is a handle; anything else with an @ is an address.
          const isEmail = !invitee?.startsWith("@") && invitee?.includes("@");
          const body = isEmail ? { email: invitee } : { handle: invitee };
          setInvited(null);
          void run(() => api.post(`/communities/${community.ref}/invitations`, body)).then(
            (done) => {
              if (!done) return;
              form.reset();
              setInvited(invitee ?? null);
              setLogVersion((version) => version + 1);
            },
          );
        }}
      >
        <label for="invitee">{t("tools.invite")}</label>
        <input
          id="invitee"
          name="invitee"
          required
          placeholder="name@example.org / @name@server"
          dir="ltr"
        />
        <button type="submit" disabled={busy}>
          {t("tools.sendInvitation")}
        </button>
      </form>
      {invited && <p role="status">{t("tools.invited", { invitee: invited })}</p>}
      <p>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(() =>
              api.patch(`/communities/${community.ref}`, { archived: !community.archived }),
            ).then(refresh)
          }
        >
          {community.archived ? t("tools.reactivate") : t("tools.archive")}
        </button>
      </p>
      <ErrorMessage message={error} />
      <h3>{t("tools.auditLog")}</h3>
      <ul>
        {log.map((entry) => (
          <li key={entry.id}>
            {formatDateTime(locale, entry.createdAt, timeZone)} ·{" "}
            {t(`audit.${entry.action}`, { actor: entry.actor ?? "?", target: entry.target ?? "" })}
          </li>
        ))}
      </ul>
    </section>
  );
}
