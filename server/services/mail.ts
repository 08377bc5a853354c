import { getLogger } from "@logtape/logtape";
import type { Deps } from "../deps.ts";
import type { OutgoingMail } from "../mail/mailer.ts";

const logger = getLogger(["praxis", "mail"]);

/**
 * Mail is sent after the change it reports has committed; a mail server that is down
 * must not undo an approval, so failures are logged rather than raised.
 */
export async function sendMailQuietly(deps: Deps, mail: OutgoingMail | null): Promise<void> {
  if (!mail) return;
  try {
    await deps.mailer.send(mail);
  } catch (error) {
    logger.error("Could not send {subject}: {error}", { subject: mail.subject, error });
  }
}
