import { useEffect, useId, useRef, useState } from "preact/hooks";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { useAction } from "./use-action.ts";

interface ConfirmProps {
  /** What the button says, and the confirming button too: "Ban", "Delete"… */
  label: string;
  /** The question asked before acting, naming what will happen to whom. */
  question: string;
  /** Asks for a reason, which the community's log keeps. */
  reason?: "required" | "optional";
  /** The change itself; a refusal keeps the question open with the server's message. */
  act: (reason: string) => Promise<unknown>;
  /** What follows an accepted change; the screen reloads unless told otherwise. */
  after?: () => void;
}

/**
 * An action that asks first. Its button opens the question in place; only the second button
 * acts; a refusal stays in view with the server's message, and once the server accepts, the
 * screen reloads to show the outcome.
 */
export function Confirm({ label, question, reason, act, after }: ConfirmProps) {
  const { t, refresh } = useShell();
  const { busy, error, run } = useAction();
  const [open, setOpen] = useState(false);
  const reasonId = `confirm-reason-${useId()}`;
  const first = useRef<HTMLTextAreaElement & HTMLButtonElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <form
      class="confirm"
      onSubmit={(event) => {
        event.preventDefault();
        const given = new FormData(event.currentTarget as HTMLFormElement).get("reason");
        void run(() => act(String(given ?? "").trim())).then((done) => {
          if (!done) return;
          setOpen(false);
          (after ?? refresh)();
        });
      }}
    >
      <fieldset>
        <legend>{question}</legend>
        {reason ? (
          <>
            <label for={reasonId}>
              {t(reason === "required" ? "confirm.reason" : "confirm.reasonOptional")}
            </label>
            <textarea
              id={reasonId}
              name="reason"
              rows={2}
              maxLength={5000}
              dir="auto"
              required={reason === "required"}
              ref={first}
            />
          </>
        ) : null}
        <p class="row">
          <button type="submit" disabled={busy} ref={reason ? undefined : first}>
            {label}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setOpen(false)}>
            {t("confirm.cancel")}
          </button>
        </p>
        <ErrorMessage message={error} />
      </fieldset>
    </form>
  );
}
