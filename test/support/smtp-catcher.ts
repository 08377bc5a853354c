import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "../../db/embedded.ts";

export interface CaughtMail {
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a loopback address that keeps every message it receives, parsed. */
export interface SmtpCatcher {
  /** The SMTP_URL a server sends through. */
  url: string;
  caught: CaughtMail[];
  /** Waits for the next message to `address` after the `already` it had, and answers it. */
  nextTo(address: string, already?: number, timeoutMs?: number): Promise<ParsedMail>;
  /** How many messages `address` received so far. */
  countTo(address: string): number;
  close(): Promise<void>;
}

export async function startSmtpCatcher(address: string): Promise<SmtpCatcher> {
  const caught: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase());
      simpleParser(stream)
        .then((mail) => {
          caught.push({ to, mail });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await freePort(address);
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  const countTo = (recipient: string) =>
    caught.filter(({ to }) => to.includes(recipient.toLowerCase())).length;
  return {
    url: `smtp://${address}:${port}`,
    caught,
    countTo,
    async nextTo(recipient, already = 0, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const received = caught.filter(({ to }) => to.includes(recipient.toLowerCase()));
        const next = received[already];
        if (next) return next.mail;
        if (Date.now() > deadline) throw new Error(`no mail ${already + 1} to ${recipient}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
