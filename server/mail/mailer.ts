import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

const logger = getLogger(["praxis", "mail"]);

/** Sends through SMTP when `smtpUrl` is set, otherwise writes each message as an .eml file. */
export function createMailer(options: {
  smtpUrl?: string | undefined;
  from: string;
  dataDir: string;
}): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail });
        logger.info("Sent {subject} by SMTP", { subject: mail.subject });
      },
    };
  }
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "unix",
  });
  const folder = join(options.dataDir, "mail");
  return {
    async send(mail) {
      const { message } = await transport.sendMail({ from: options.from, ...mail });
      await mkdir(folder, { recursive: true });
      const file = join(
        folder,
        `${new Date().toISOString().replaceAll(":", "-")}-${randomUUID()}.eml`,
      );
      await writeFile(file, message as Buffer);
      logger.info("Wrote {subject} to {file}", { subject: mail.subject, file });
    },
  };
}
