import type { TFunction } from "i18next";
import { useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { useShell } from "../context.ts";

/**
 * Why a call failed, in the reader's language: the server's own message when it refused,
 * and when it could not be reached (offline, or the network failed) that nothing was done.
 */
export function failureMessage(t: TFunction, failure: unknown): string {
  if (failure instanceof ApiError) return failure.message;
  if (failure instanceof TypeError || (typeof navigator !== "undefined" && !navigator.onLine)) {
    return t("errors.offline");
  }
  return t("errors.unexpected");
}

/**
 * Runs a change the reader asked for, keeping what it needs to show meanwhile:
 * busy while it runs, and the server's own message when it refuses.
 */
export function useAction() {
  const { t } = useShell();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(change: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await change();
      return true;
    } catch (failure) {
      setError(failureMessage(t, failure));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

/** useAction for a form that adds something: once accepted, it empties and the screen reloads. */
export function usePublish() {
  const { refresh } = useShell();
  const action = useAction();
  function publish(form: HTMLFormElement, change: () => Promise<unknown>): void {
    void action.run(change).then((done) => {
      if (!done) return;
      form.reset();
      refresh();
    });
  }
  return { ...action, publish };
}

/** The named fields of a submitted form, as text. */
export function fieldsOf(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries(
    [...new FormData(form).entries()].map(([name, value]) => [name, String(value)]),
  );
}
