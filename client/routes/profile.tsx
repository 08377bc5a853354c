import type { Profile } from "../api.ts";
import { Avatar, PersonFacts } from "../components/people.tsx";
import { ReportAction } from "../components/report-form.tsx";
import { useShell } from "../context.ts";
import { defineScreen, type ViewProps } from "./table.ts";

/** A bio as written: paragraphs where its author left blank lines, no markup. */
function Bio({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((part) => part.trim());
  return (
    <div class="bio">
      {paragraphs.map((part, index) => (
        <p key={index} dir="auto">
          {part.trim()}
        </p>
      ))}
    </div>
  );
}

/**
 * A person's page, here or a copy of someone elsewhere: drawn on the server, so that it reads
 * without JavaScript. Every piece of their own text keeps its own direction.
 */
function ProfilePage({ data: person }: ViewProps<Profile>) {
  const { t, me } = useShell();
  return (
    <article class="profile">
      <header class="profile-head">
        <Avatar person={person} size="large" />
        <div>
          <h1>
            <bdi>{person.displayName || person.username}</bdi>
          </h1>
          <p class="meta">
            <bdi dir="ltr">{person.handle}</bdi>
          </p>
          {person.resourcePerson ? <p class="badge">{t("people.offersHelp")}</p> : null}
          {me && me.id !== person.id ? (
            <p>
              <a class="button" href={`/messages/new?to=${encodeURIComponent(person.handle)}`}>
                {t("messages.action")}
              </a>
            </p>
          ) : null}
        </div>
      </header>
      {person.bio ? <Bio text={person.bio} /> : null}
      <PersonFacts person={person} />
      <section aria-labelledby="profile-communities">
        <h2 id="profile-communities">{t("people.communities")}</h2>
        {person.communities.length > 0 ? (
          <ul>
            {person.communities.map((community) => (
              <li key={community.ref}>
                <a href={`/c/${community.ref}`}>
                  <bdi>{community.name}</bdi>
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("people.noCommunities")}</p>
        )}
      </section>
      {me && me.id !== person.id ? (
        <ReportAction target="accounts" id={person.id} places={person.communities} />
      ) : null}
    </article>
  );
}

export const profileScreen = defineScreen<Profile>({
  pattern: "/@:handle",
  load: ({ api, params }) =>
    api.get<Profile>(`/accounts/${encodeURIComponent(params.handle ?? "")}`),
  title: (_t, person) => person.displayName || person.username,
  description: (t, person) =>
    person.bio.slice(0, 200) ||
    t("people.profileOf", { name: person.displayName || person.username }),
  view: ProfilePage,
});
