export * from "./accounts.ts";
export * from "./audit.ts";
export * from "./communities.ts";
export * from "./federation.ts";
export * from "./invitations.ts";
export * from "./memberships.ts";
export * from "./names.ts";
export * from "./sessions.ts";
