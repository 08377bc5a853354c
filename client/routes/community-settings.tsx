import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Community, Member } from "../api.ts";
import { type AuditEntry, AuditLog } from "../components/audit-log.tsx";
import { BackLink } from "../components/back-link.tsx";
import type { ToolProps } from "../components/community-tools.tsx";
import { Confirm } from "../components/confirm.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { ImageUpload } from "../components/image-upload.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  community: Community;
  members: Member[];
  banned: Member[];
  log: AuditEntry[];
}

const levels = ["open", "public", "semi_private", "private"] as const;
const roles = ["member", "moderator", "admin"] as const;

const membersPath = (community: Community) => `/communities/${community.ref}/members`;
const memberPath = (community: Community, member: Member) =>
  `${membersPath(community)}/${member.id}`;
const nameOf = (member: Member) => member.account.displayName || member.account.username;

/** Name, summary, concept note, conditions, principles and privacy, all in one plain form. */
function SettingsForm({ community, saved }: { community: Community; saved: boolean }) {
  const { t, api, navigate } = useShell();
  const { busy, error, run } = useAction();
  const text = (name: keyof Community, label: string, rows: number) => (
    <>
      <label for={`settings-${name}`}>{label}</label>
      <textarea
        id={`settings-${name}`}
        name={name}
        rows={rows}
        dir="auto"
        defaultValue={String(community[name])}
      />
    </>
  );
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const f = fieldsOf(event);
        void run(async () => {
          const updated = await api.patch<Community>(`/communities/${community.ref}`, {
            name: f.name,
            summary: f.summary,
            conceptNote: { overview: f.overview, purpose: f.purpose, engagement: f.engagement },
            eligibility: f.eligibility,
            principles: f.principles,
            privacy: f.privacy,
            hidden: f.hidden === "on",
          });
          navigate(`/c/${updated.ref}/settings?saved=1`, { replace: true });
        });
      }}
    >
      <h2>{t("communitySettings.about")}</h2>
      <label for="settings-name">{t("create.name")}</label>
      <input
        id="settings-name"
        name="name"
        required
        maxLength={200}
        dir="auto"
        defaultValue={community.name}
      />
      <label for="settings-summary">{t("create.summary")}</label>
      <input
        id="settings-summary"
        name="summary"
        maxLength={500}
        dir="auto"
        defaultValue={community.summary}
      />
      <fieldset>
        <legend>{t("create.conceptNote")}</legend>
        {(["overview", "purpose", "engagement"] as const).map((part) => (
          <Fragment key={part}>
            <label for={`settings-${part}`}>{t(`about.${part}`)}</label>
            <textarea
              id={`settings-${part}`}
              name={part}
              rows={3}
              dir="auto"
              defaultValue={community.conceptNote[part]}
            />
          </Fragment>
        ))}
      </fieldset>
      {text("eligibility", t("join.eligibility"), 2)}
      {text("principles", t("about.principles"), 4)}
      <fieldset>
        <legend>{t("create.privacy")}</legend>
        {levels.map((level) => (
          <div key={level} class="choice">
            <input
              type="radio"
              id={`settings-privacy-${level}`}
              name="privacy"
              value={level}
              defaultChecked={level === community.privacy}
            />
            <label for={`settings-privacy-${level}`}>
              <strong>{t(`privacy.${level}.label`)}</strong> — {t(`privacy.${level}.explain`)}
            </label>
          </div>
        ))}
        <div class="choice">
          <input
            type="checkbox"
            id="settings-hidden"
            name="hidden"
            defaultChecked={community.hidden}
          />
          <label for="settings-hidden">
            <strong>{t("privacy.hidden")}</strong> — {t("privacy.hiddenExplain")}
          </label>
        </div>
      </fieldset>
      <button type="submit" disabled={busy}>
        {t("communitySettings.save")}
      </button>
      {saved ? <p role="status">{t("communitySettings.saved")}</p> : null}
      <ErrorMessage message={error} />
    </form>
  );
}

/** Archiving keeps everything readable and stops new members and posts; it is undone as simply. */
function ArchiveToggle({ community }: { community: Community }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  return (
    <>
      <p>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(() =>
              api.patch(`/communities/${community.ref}`, { archived: !community.archived }),
            ).then((done) => done && refresh())
          }
        >
          {community.archived ? t("tools.reactivate") : t("tools.archive")}
        </button>
      </p>
      <ErrorMessage message={error} />
    </>
  );
}

/**
 * An admin's appointment of a member as translator, or its end: a plain form the server
 * hands on without scripts, a call and a fresh list with them.
 */
function TranslatorToggle({ community, member }: { community: Community; member: Member }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const path = `${memberPath(community, member)}/translator`;
  return (
    <form
      method="post"
      action={`/c/${community.ref}/settings/members/${member.id}/translator`}
      onSubmit={(event) => {
        event.preventDefault();
        void run(() => (member.translator ? api.delete(path) : api.put(path, {}))).then(
          (done) => done && refresh(),
        );
      }}
    >
      <input type="hidden" name="appoint" value={member.translator ? "no" : "yes"} />
      <button type="submit" class="secondary" disabled={busy}>
        {t(member.translator ? "translators.remove" : "translators.appoint")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/** Everyone but the reader, with their role, and removal or a ban after a question and a reason. */
function MemberRows({ community, members }: { community: Community; members: Member[] }) {
  const { t, api, refresh, me } = useShell();
  const { busy, error, run } = useAction();
  return (
    <>
      <ul class="cards">
        {members
          .filter((member) => member.account.id !== me?.id)
          .map((member) => (
            <li key={member.id} class="card row">
              <span>
                <bdi>{nameOf(member)}</bdi> <span class="meta">{member.account.handle}</span>
                {member.translator ? (
                  <>
                    {" "}
                    <span class="badge">{t("translators.badge")}</span>
                  </>
                ) : null}
              </span>
              <label class="visually-hidden" for={`role-${member.id}`}>
                {t("tools.role")}
              </label>
              <select
                id={`role-${member.id}`}
                disabled={busy}
                onChange={(event) =>
                  void run(() =>
                    api.patch(memberPath(community, member), { role: event.currentTarget.value }),
                  ).then((done) => done && refresh())
                }
              >
                {[...roles, ...(member.role === "owner" ? ["owner"] : [])].map((role) => (
                  <option key={role} value={role} selected={role === member.role}>
                    {t(`roles.${role}`)}
                  </option>
                ))}
              </select>
              <Confirm
                label={t("tools.remove")}
                question={t("confirm.remove", { name: nameOf(member) })}
                reason="required"
                act={(reason) => api.delete(memberPath(community, member), { reason })}
              />
              <Confirm
                label={t("tools.ban")}
                question={t("confirm.ban", { name: nameOf(member) })}
                reason="required"
                act={(reason) =>
                  api.patch(memberPath(community, member), { state: "banned", reason })
                }
              />
              {member.translator === undefined ? null : (
                <TranslatorToggle community={community} member={member} />
              )}
            </li>
          ))}
      </ul>
      <ErrorMessage message={error} />
    </>
  );
}

/** An invitation by e-mail address or fediverse handle. */
function InvitationForm({ community, onSent }: { community: Community; onSent: () => void }) {
  const { t, api } = useShell();
  const { busy, error, run } = useAction();
  const [invited, setInvited] = useState<string | null>(null);
  return (
    <>
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
              onSent();
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
      <ErrorMessage message={error} />
    </>
  );
}

/**
 * The members tab's tools for admins: roles, removal and bans, invitations, archiving, and the
 * latest decisions, read again whenever the list or an invitation changes.
 */
export function MemberAdmin({ community, items }: ToolProps) {
  const { t, api } = useShell();
  const [log, setLog] = useState<AuditEntry[]>([]);
  const [logVersion, setLogVersion] = useState(0);
  useEffect(() => {
    void api
      .get<{ items: AuditEntry[] }>(`/communities/${community.ref}/audit?limit=20`)
      .then((page) => setLog(page.items))
      .catch(() => setLog([]));
  }, [community.ref, items, logVersion]);
  return (
    <section class="panel">
      <h2>{t("tools.manage")}</h2>
      <p>
        <a href={`/c/${community.ref}/settings`}>{t("communitySettings.title")}</a>
      </p>
      <MemberRows community={community} members={(items ?? []) as Member[]} />
      <InvitationForm community={community} onSent={() => setLogVersion((n) => n + 1)} />
      <ArchiveToggle community={community} />
      <AuditLog entries={log} />
    </section>
  );
}

/** People banned from the community, why, and lifting a ban so they may ask again. */
function BannedList({ community, banned }: { community: Community; banned: Member[] }) {
  const { t, api } = useShell();
  return (
    <section class="panel">
      <h2>{t("communitySettings.banned")}</h2>
      {banned.length === 0 ? <p>{t("communitySettings.noneBanned")}</p> : null}
      <ul class="cards">
        {banned.map((member) => (
          <li key={member.id} class="card">
            <p class="row">
              <bdi>{nameOf(member)}</bdi> <span class="meta">{member.account.handle}</span>
            </p>
            {member.decisionReason ? (
              <p class="meta">
                {t("communitySettings.bannedBecause")} <bdi>{member.decisionReason}</bdi>
              </p>
            ) : null}
            <Confirm
              label={t("communitySettings.unban")}
              question={t("confirm.unban", { name: nameOf(member) })}
              reason="optional"
              act={(reason) => api.delete(memberPath(community, member), { reason })}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Handing the community on: making another member an owner, then stepping down or leaving.
 * The server refuses to leave a community without an owner, and that refusal is shown here.
 */
function Ownership({ community, members }: { community: Community; members: Member[] }) {
  const { t, api, me, navigate } = useShell();
  const own = members.find((member) => member.account.id === me?.id);
  const candidates = members.filter(
    (member) => member.account.id !== me?.id && member.role !== "owner",
  );
  const [chosen, setChosen] = useState(candidates[0]?.id ?? "");
  const candidate = candidates.find((member) => member.id === chosen);
  const { handOver } = community.may;
  return (
    <section class="panel">
      <h2>{t("communitySettings.ownership")}</h2>
      {handOver && candidates.length > 0 ? (
        <div class="row">
          <label for="new-owner">{t("communitySettings.newOwner")}</label>
          <select
            id="new-owner"
            onChange={(event) => setChosen(event.currentTarget.value)}
            value={chosen}
          >
            {candidates.map((member) => (
              <option key={member.id} value={member.id}>
                {nameOf(member)} ({t(`roles.${member.role}`)})
              </option>
            ))}
          </select>
          {candidate ? (
            <Confirm
              label={t("communitySettings.makeOwner")}
              question={t("confirm.makeOwner", { name: nameOf(candidate) })}
              act={() => api.patch(memberPath(community, candidate), { role: "owner" })}
            />
          ) : null}
        </div>
      ) : null}
      {handOver && own ? (
        <p>
          <Confirm
            label={t("communitySettings.stepDown")}
            question={t("confirm.stepDown", { community: community.name })}
            act={() => api.patch(memberPath(community, own), { role: "admin" })}
          />
        </p>
      ) : null}
      <p>
        <Confirm
          label={t("join.leave")}
          question={t("confirm.leave", { community: community.name })}
          act={() => api.post(`/communities/${community.ref}/leave`)}
          after={() => navigate(`/c/${community.ref}`)}
        />
      </p>
    </section>
  );
}

function CommunitySettings({ data, query }: ViewProps<Data>) {
  const { t } = useShell();
  const { community, members, banned, log } = data;
  return (
    <>
      <BackLink href={`/c/${community.ref}`}>{community.name}</BackLink>
      <h1>{t("communitySettings.title")}</h1>
      <SettingsForm community={community} saved={query.get("saved") === "1"} />
      <ImageUpload
        id="banner"
        action={`/c/${community.ref}/settings/banner`}
        current={community.bannerUrls?.["640x160"] ?? null}
        labels={{
          title: t("images.banner"),
          hint: t("images.bannerHint"),
          shown: t("images.bannerShown"),
        }}
        box={{ class: "banner", width: 640, height: 160 }}
      />
      <ArchiveToggle community={community} />
      <Ownership community={community} members={members} />
      <section class="panel">
        <h2>{t("tools.manage")}</h2>
        <MemberRows community={community} members={members} />
      </section>
      <BannedList community={community} banned={banned} />
      <AuditLog entries={log} />
    </>
  );
}

/**
 * A community's settings, for its owners and admins: the server answers everyone else with
 * its refusal, which the screen shows instead.
 */
export const communitySettingsScreen = defineScreen<Data>({
  pattern: "/c/:ref/settings",
  load: async ({ api, params }) => {
    const community = await api.get<Community>(
      `/communities/${encodeURIComponent(params.ref ?? "")}`,
    );
    const [members, banned, log] = await Promise.all([
      api.get<{ items: Member[] }>(`${membersPath(community)}?limit=100`),
      api.get<{ items: Member[] }>(`${membersPath(community)}?state=banned&limit=100`),
      api.get<{ items: AuditEntry[] }>(`/communities/${community.ref}/audit?limit=50`),
    ]);
    return { community, members: members.items, banned: banned.items, log: log.items };
  },
  title: (t, data) => `${data.community.name} · ${t("communitySettings.title")}`,
  view: CommunitySettings,
});
