import type { ComponentChildren } from "preact";
import type { Community, CommunityMay } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatNumber } from "../format.ts";

type WayIn = NonNullable<CommunityMay["join"]>;

/**
 * What a visitor is asked to do: sign in (or create an account) to join or to ask to join;
 * a private community takes nobody uninvited, and its invitations come as links by e-mail.
 * The links work without JavaScript, so a shared link leads somewhere in any browser.
 */
function VisitorCallToAction({ community, way }: { community: Community; way: WayIn }) {
  const { t } = useShell();
  const signIn = `/signin?next=/c/${community.ref}`;
  if (way === "invitation") {
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
        {t(way === "request" ? "face.signInToRequest" : "join.signInToJoin")}
      </a>{" "}
      <a href={`/register?next=/c/${community.ref}`}>{t("account.register")}</a>
    </p>
  );
}

/**
 * What the reader may do about belonging to the community (`may.join`, `may.leave`): join,
 * ask, wait, or leave. Each is a plain form the server answers with a redirect back; with
 * scripts the page acts in place and shows the server's refusal beside the button.
 */
export function CallToAction({ community }: { community: Community }) {
  const { t, me, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const state = community.viewer?.state;
  const { join, leave } = community.may;
  const act = (event: Event, path: "join" | "leave") => {
    const { message } = fieldsOf(event);
    void run(() =>
      api.post(`/communities/${community.ref}/${path}`, message ? { message } : {}),
    ).then((done) => done && refresh());
  };
  if (community.archived) return <p class="notice">{t("join.archived")}</p>;
  if (leave) {
    const waiting = state === "pending";
    return (
      <form
        class="row"
        method="post"
        action={`/c/${community.ref}/leave`}
        onSubmit={(event) => act(event, "leave")}
      >
        {waiting ? <span class="notice">{t("join.pending")}</span> : t("join.member")}{" "}
        <button type="submit" class="secondary" disabled={busy}>
          {t(waiting ? "join.withdraw" : "join.leave")}
        </button>
        <ErrorMessage message={error} />
      </form>
    );
  }
  if (state === "banned" || state === "rejected") return <p class="notice">{t("join.refused")}</p>;
  if (!join) return null;
  if (!me) return <VisitorCallToAction community={community} way={join} />;
  if (join === "invitation") return <p class="notice">{t("join.inviteOnly")}</p>;
  return (
    <form
      class={join === "request" ? "panel" : undefined}
      method="post"
      action={`/c/${community.ref}/join`}
      onSubmit={(event) => act(event, "join")}
    >
      {join === "request" ? (
        <>
          <h2>{t("join.requestTitle")}</h2>
          <label for="join-message">
            {t(community.may.requestNeedsMessage ? "join.messageRequired" : "join.message")}
          </label>
          <textarea
            id="join-message"
            name="message"
            rows={3}
            maxLength={2000}
            dir="auto"
            required={community.may.requestNeedsMessage}
          />
        </>
      ) : null}
      <p>
        <button type="submit" disabled={busy}>
          {t(join === "request" ? "join.request" : "join.join")}
        </button>
      </p>
      <ErrorMessage message={error} />
    </form>
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
