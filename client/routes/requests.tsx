import { useState } from "preact/hooks";
import type { Community, Member, Page } from "../api.ts";
import { BackLink } from "../components/back-link.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { More, useMore, withCursor } from "../components/more.tsx";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

export interface RequestsData {
  community: Community;
  pending: Page<Member>;
}

const pendingPath = (community: Community) =>
  `/communities/${community.ref}/members?state=pending&limit=100`;

export async function loadRequests({ api, params, query }: LoadContext): Promise<RequestsData> {
  const community = await api.get<Community>(`/communities/${params.ref}`);
  const pending = await api.get<Page<Member>>(
    withCursor(pendingPath(community), query.get("cursor")),
  );
  return { community, pending };
}

/** The admins' queue: who asks to join, why, and who they are; decided one by one or together. */
export function Requests({ data, query }: ViewProps<RequestsData>) {
  const { t, api, refresh, locale, timeZone } = useShell();
  const { busy, error, run } = useAction();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const { community } = data;
  const list = useMore(data.pending, pendingPath(community));
  const pending = list.items;
  const decide = (ids: string[], decision: "approve" | "reject") =>
    run(async () => {
      for (const id of ids) {
        await api.post(
          `/communities/${community.ref}/members/${id}/${decision}`,
          reason ? { reason } : {},
        );
      }
      setChosen(new Set());
    }).then(refresh);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  return (
    <>
      <BackLink href={`/c/${community.ref}`}>{community.name}</BackLink>
      <h1>{t("admin.requests")}</h1>
      {pending.length === 0 ? <p>{t("admin.noRequests")}</p> : null}
      <label for="reason">{t("admin.reason")}</label>
      <input id="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <ul class="cards">
        {pending.map((member) => (
          <li key={member.id} class="card">
            <p class="row">
              <input
                type="checkbox"
                id={`choose-${member.id}`}
                checked={chosen.has(member.id)}
                onChange={() => toggle(member.id)}
              />
              <label for={`choose-${member.id}`}>
                <strong>
                  <bdi>{member.account.displayName || member.account.username}</bdi>
                </strong>{" "}
                <span class="meta" dir="ltr">
                  {member.account.handle}
                </span>
              </label>
            </p>
            <p class="meta">
              {[member.account.profession, member.account.organisation, member.account.country]
                .filter(Boolean)
                .join(" · ")}{" "}
              · {formatDateTime(locale, member.createdAt, timeZone)}
            </p>
            {member.message ? <blockquote>{member.message}</blockquote> : null}
            <p class="row">
              <button
                type="button"
                disabled={busy}
                onClick={() => void decide([member.id], "approve")}
              >
                {t("admin.approve")}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void decide([member.id], "reject")}
              >
                {t("admin.reject")}
              </button>
            </p>
          </li>
        ))}
      </ul>
      {pending.length > 1 ? (
        <p class="row">
          <button
            type="button"
            disabled={busy || chosen.size === 0}
            onClick={() => void decide([...chosen], "approve")}
          >
            {t("admin.approveChosen", { count: chosen.size })}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy || chosen.size === 0}
            onClick={() => void decide([...chosen], "reject")}
          >
            {t("admin.rejectChosen", { count: chosen.size })}
          </button>
        </p>
      ) : null}
      <More list={list} query={query} />
      <ErrorMessage message={error} />
    </>
  );
}
