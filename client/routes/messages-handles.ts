/**
 * The handles a "To" field holds: `@user`, `user`, `@user@host` or `user@host`, separated by
 * spaces or commas. The scripted form and the plain one (server/pages/message-forms.ts) read
 * the field alike.
 */
export const handlesIn = (field: string): string[] => field.split(/[\s,;]+/).filter(Boolean);
