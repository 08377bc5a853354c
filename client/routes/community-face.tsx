import type { ComponentChildren } from "preact";
import type { Community } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatNumber } from "../format.ts";

/**
 * What a visitor is asked to do: sign in (or create an account) to join or to ask to join;
 * a private community takes nobody uninvited, and its invitations come as links by e-mail.
 * The links work without JavaScript, so a shared link leads somewhere in any browser.
 */
function VisitorCallToAction({ community }: { community: Community }) {
  const { t } = useShell();
  const signIn = `/signin?next=/c/${community.ref}`;
  if (community.privacy === "private") {
    return (
      <>
        <p class="notice">{t("join.inviteOnly")}</p>
        <p>
          {t("face.invitedHint")} <a href={signIn}>{t("face.signInIfInvited")}</a>
        </p>
      </>
    );
  }
  return (
    <p class="row">
      <a class="button" href={signIn}>
        {t(community.privacy === "semi_private" ? "face.signInToRequest" : "join.signInToJoin")}
      </a>{" "}
      <a href={`/register?next=/c/${community.ref}`}>{t("account.register")}</a>
    </p>
  );
}

/** What the reader may do about belonging to the community: join, ask, wait, or leave. */
export function CallToAction({ community }: { community: Community }) {
  const { t, me, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const state = community.viewer?.state;
  if (community.archived) return <p class="notice">{t("join.archived")}</p>;
  if (state === "active") {
    return (
      <p class="row">
        {t("join.member")}{" "}
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            run(() => api.post(`/communities/${community.ref}/leave`)).then(
              (left) => left && refresh(),
            )
          }
        >
          {t("join.leave")}
        </button>
        <ErrorMessage message={error} />
      </p>
    );
  }
  if (state === "pending") return <p class="notice">{t("join.pending")}</p>;
  if (state === "banned" || state === "rejected") return <p class="notice">{t("join.refused")}</p>;
  if (!me) return <VisitorCallToAction community={community} />;
  if (community.privacy === "private" && state !== "invited") {
    return <p class="notice">{t("join.inviteOnly")}</p>;
  }
  const join = (message?: string) =>
    run(() => api.post(`/communities/${community.ref}/join`, message ? { message } : {})).then(
      refresh,
    );
  if (community.privacy === "semi_private" && state !== "invited") {
    return (
      <form
        class="panel"
        onSubmit={(event) => {
          void join(fieldsOf(event).message);
        }}
      >
        <h2>{t("join.requestTitle")}</h2>
        <label for="join-message">{t("join.message")}</label>
        <textarea id="join-message" name="message" rows={3} maxLength={2000} />
        <button type="submit" disabled={busy}>
          {t("join.request")}
        </button>
        <ErrorMessage message={error} />
      </form>
    );
  }
  return (
    <p>
      <button type="button" disabled={busy} onClick={() => void join()}>
        {t("join.join")}
      </button>
      <ErrorMessage message={error} />
    </p>
  );
}

/** A community's name, summary and size. */
/** The strip its admins uploaded, the small size on phones; it only decorates the name below. */
function Banner({ community }: { community: Community }) {
  const urls = community.bannerUrls;
  if (!urls) return null;
  return (
    <img
      class="banner"
      src={urls["640x160"]}
      srcset={`${urls["640x160"]} 640w, ${urls["1280x320"]} 1280w`}
      sizes="(max-width: 60rem) 100vw, 60rem"
      width={1280}
      height={320}
      alt=""
    />
  );
}

export function CommunityTitle({ community }: { community: Community }) {
  const { t, locale } = useShell();
  return (
    <>
      <Banner community={community} />
      <h1 dir="auto">{community.name}</h1>
      <p dir="auto">{community.summary}</p>
      <p class="meta">
        <PrivacyBadge community={community} />{" "}
        {t("community.members", {
          count: community.memberCount,
          formatted: formatNumber(locale, community.memberCount),
        })}{" "}
        · <span dir="ltr">{community.handle}</span>
      </p>
    </>
  );
}

function FollowFromElsewhere({ community }: { community: Community }) {
  const { t } = useShell();
  return (
    <details class="panel">
      <summary>{t("community.followElsewhere")}</summary>
      <p>{t("community.followExplain")}</p>
      <p class="row">
        <input readOnly value={community.handle} aria-label={t("community.handle")} />
        <button
          type="button"
          class="secondary"
          onClick={() => void navigator.clipboard?.writeText(community.handle)}
        >
          {t("community.copy")}
        </button>
      </p>
    </details>
  );
}

/** A section of the About with its heading, left out when the community did not write it. */
function Section({ heading, text }: { heading: string; text: string }) {
  return text ? (
    <>
      <h2>{heading}</h2>
      <p dir="auto">{text}</p>
    </>
  ) : null;
}

/**
 * What the community says it is and who it is for (its concept note, eligibility, principles),
 * then `children`, then how it can be followed.
 */
export function AboutCommunity({
  community,
  children,
}: {
  community: Community;
  children?: ComponentChildren;
}) {
  const { t } = useShell();
  const note = community.conceptNote;
  return (
    <>
      <Section heading={t("about.overview")} text={note.overview || community.summary} />
      <Section heading={t("about.purpose")} text={note.purpose} />
      <Section heading={t("about.engagement")} text={note.engagement} />
      <Section heading={t("join.eligibility")} text={community.eligibility} />
      <Section heading={t("about.principles")} text={community.principles} />
      {children}
      <p>
        <PrivacyBadge community={community} /> {t(`privacy.${community.privacy}.explain`)}
      </p>
      <FollowFromElsewhere community={community} />
    </>
  );
}

/**
 * What someone who may see a community but not read its content is shown, on every tab: what
 * it is and who it is for, then how to join (a request to join follows the eligibility it
 * answers). Its content is never loaded for them.
 */
export function CommunityFace({ community }: { community: Community }) {
  const { t } = useShell();
  return (
    <>
      <header class="community-head">
        <CommunityTitle community={community} />
      </header>
      <AboutCommunity community={community}>
        <CallToAction community={community} />
        <p class="notice">{t("face.membersOnly")}</p>
      </AboutCommunity>
    </>
  );
}
