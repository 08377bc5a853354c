import { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import type { Account } from "../db/schema/accounts.ts";
import { refuseBlockedSenders } from "../federation/gate.ts";
import { federationMiddleware } from "../federation/hono.ts";
import { hostMeta } from "../federation/host-meta.ts";
import { refuseDeepNesting } from "../federation/inbox-body-shape.ts";
import type { PraxisFederation } from "../federation/index.ts";
import { servingTerms } from "../federation/praxis-terms.ts";
import { profilePath, sendActivityRequestsToActor } from "../federation/profile-address.ts";
import { refuseSignaturesWithoutDigest } from "../federation/signature-coverage.ts";
import {
  answerMalformedWebFingerInJson,
  answerUnknownWebFingerInJson,
  webFingerPath,
} from "../federation/webfinger-errors.ts";
import packageJson from "../package.json" with { type: "json" };
import { accountsApi } from "./api/accounts.ts";
import { adminApi } from "./api/admin.ts";
import { analyticsApi } from "./api/analytics.ts";
import { coffeeApi } from "./api/coffee.ts";
import { communitiesApi } from "./api/communities.ts";
import { communityHealthApi } from "./api/community-health.ts";
import { directoryApi } from "./api/directory.ts";
import { renderError } from "./api/errors.ts";
import { eventsApi } from "./api/events.ts";
import { filesApi } from "./api/files.ts";
import { imagesApi } from "./api/images.ts";
import { instanceApi } from "./api/instance.ts";
import { invitationsApi } from "./api/invitations.ts";
import { lookupApi } from "./api/lookup.ts";
import { membersApi } from "./api/members.ts";
import { messagesApi } from "./api/messages.ts";
import { notificationsApi } from "./api/notifications.ts";
import { postsApi } from "./api/posts.ts";
import { profilesApi } from "./api/profiles.ts";
import { questionsApi } from "./api/questions.ts";
import { reportsApi } from "./api/reports.ts";
import { type AppEnv, createRouter } from "./api/router.ts";
import { searchApi } from "./api/search.ts";
import { sessionCookie, sessionMiddleware } from "./api/session.ts";
import { sessionsApi } from "./api/sessions.ts";
import { translationsApi } from "./api/translations.ts";
import type { Deps } from "./deps.ts";
import { DomainError } from "./errors.ts";
import {
  keepViewersAnswersPrivate,
  shareAnonymousReads,
  shareableApiPaths,
  shareablePagePaths,
} from "./http-cache.ts";
import { limitBody } from "./limits/body-limit.ts";
import { limitInboxDeliveries } from "./limits/inbox-limits.ts";
import { requestLimits } from "./limits/request-limits.ts";
import { answerMediaOrigin } from "./media.ts";
import { mountAccountForms } from "./pages/account-forms.ts";
import { mountClient } from "./pages/client.ts";
import { renderConfirmEmail } from "./pages/confirm-email.ts";
import { refuseMalformedAddresses } from "./pages/malformed-address.ts";
import { mountMessageForms } from "./pages/message-forms.ts";
import { mountPeopleForms } from "./pages/people-forms.ts";
import { renderResetPassword } from "./pages/reset-password.ts";
import { mountSettingsForms } from "./pages/settings-forms.ts";
import { renderUnsubscribe } from "./pages/unsubscribe.ts";
import { imageRoute, serveImage } from "./served-images.ts";
import { resolveSession } from "./services/sessions.ts";

export const apiBodyLimit = 1024 * 1024;
export const inboxBodyLimit = 1024 * 1024;

function api(deps: Deps) {
  const router = createRouter();
  const jsonLimit = limitBody(apiBodyLimit);
  // Uploads may be as large as the configured file limit, plus room for the form's other fields.
  const uploadLimit = limitBody(deps.config.uploadLimitBytes + 64 * 1024);
  router.use((c, next) =>
    c.req.header("content-type")?.startsWith("multipart/form-data")
      ? uploadLimit(c, next)
      : jsonLimit(c, next),
  );
  router.use(sessionMiddleware());
  router.use(keepViewersAnswersPrivate());
  router.on(["GET", "HEAD"], shareableApiPaths, shareAnonymousReads());
  router
    .route("/", requestLimits)
    .route("/", accountsApi)
    .route("/", sessionsApi)
    .route("/", communitiesApi)
    .route("/", directoryApi)
    .route("/", membersApi)
    .route("/", coffeeApi)
    .route("/", questionsApi)
    .route("/", invitationsApi)
    .route("/", lookupApi)
    .route("/", profilesApi)
    .route("/", adminApi)
    .route("/", instanceApi)
    .route("/", postsApi)
    .route("/", translationsApi)
    .route("/", reportsApi)
    .route("/", notificationsApi)
    .route("/", messagesApi)
    .route("/", searchApi)
    .route("/", eventsApi)
    .route("/", filesApi)
    .route("/", imagesApi)
    .route("/", analyticsApi)
    .route("/", communityHealthApi);
  router.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Praxis API",
      version: packageJson.version,
      description: "Communities of practice, federated over ActivityPub.",
    },
  });
  return router;
}

/**
 * Liveness for operators' probes: the process answers and its database does too. Without
 * the database it answers 503 with `Retry-After`, as the API does (renderError).
 */
export function createHealthApp(deps: Deps) {
  return new Hono<AppEnv>().onError(renderError).get("/healthz", async (c) => {
    await deps.db.execute(sql`select 1`);
    return c.json({ status: "ok", role: deps.config.role });
  });
}

export function createApp(deps: Deps, federation: PraxisFederation) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(renderError);
  app.notFound((c) => renderError(new DomainError("not_found"), c));
  // First, so that the media origin answers nothing but file bytes.
  app.use(answerMediaOrigin(deps));
  app.use(refuseMalformedAddresses());
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: false }));
  app.route("/", createHealthApp(deps));
  app.get(imageRoute, serveImage(deps));
  app.route("/api/v1", api(deps));
  app.on(["GET", "POST"], "/unsubscribe/:token", (c) => renderUnsubscribe(c, deps));
  mountAccountForms(app);
  mountPeopleForms(app);
  mountSettingsForms(app);
  mountMessageForms(app);
  app.on(["GET", "POST"], "/reset-password/:token", (c) => renderResetPassword(c, deps));
  app.on(["GET", "POST"], "/confirm-email/:token", (c) => renderConfirmEmail(c, deps));
  // Inboxes refuse bodies over 1 MB before anything reads them.
  const inboxLimit = limitBody(inboxBodyLimit);
  app.use((c, next) => (c.req.method === "POST" ? inboxLimit(c, next) : next()));
  app.use(refuseDeepNesting());
  app.use(refuseSignaturesWithoutDigest());
  app.use(refuseBlockedSenders(deps));
  app.use(limitInboxDeliveries(deps));
  app.use(webFingerPath, answerMalformedWebFingerInJson);
  app.use(
    federationMiddleware(
      federation,
      (c) => {
        let viewer: Promise<Account | null> | undefined;
        return {
          deps,
          viewer: () => {
            const token = getCookie(c, sessionCookie);
            viewer ??= token
              ? resolveSession(deps, token).then((s) => s?.account ?? null)
              : Promise.resolve(null);
            return viewer;
          },
        };
      },
      servingTerms(federation, deps),
    ),
  );
  app.get(webFingerPath, answerUnknownWebFingerInJson);
  app.route("/", hostMeta(deps.config.publicUrl));
  app.get(profilePath, sendActivityRequestsToActor(deps.config.publicUrl));
  // After federation, which answers ActivityPub requests for the same paths on its own.
  app.on(["GET", "HEAD"], shareablePagePaths, shareAnonymousReads());
  mountClient(app);
  return app;
}
