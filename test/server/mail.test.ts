import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

interface Delivered {
  to: string[];
  raw: Buffer;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtpServer(): Promise<{
  port: number;
  inbox: Delivered[];
  close(): Promise<void>;
}> {
  const inbox: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, inbox, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("mail through SMTP_URL", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let praxis: TestInstance;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    praxis = await startTestInstance({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: "Praxis <hello@praxis.test>",
    });
  });
  afterAll(async () => {
    await praxis.close();
    await smtp.close();
  });

  it("delivers an invitation in the inviter's language, as text and HTML, with a working link", async () => {
    const admin = await praxis.signUp("coordinatrice", { locale: "fr" });
    await praxis.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "protection-sociale", name: "Protection sociale", privacy: "private" },
    });
    const sent = await praxis.request(
      "POST",
      "/api/v1/communities/protection-sociale/invitations",
      {
        token: admin.token,
        body: { email: "invitee@example.org" },
      },
    );
    expect(sent.status).toBe(201);
    await expect.poll(() => smtp.inbox.length).toBe(1);
    const [delivered] = smtp.inbox;
    expect(delivered?.to).toEqual(["invitee@example.org"]);
    const mail = await simpleParser(delivered?.raw ?? Buffer.alloc(0));
    expect(mail.from?.text).toContain("hello@praxis.test");
    expect(mail.subject).toContain("Protection sociale");
    expect(mail.subject).not.toBe("{{inviter}} invites you to the community “{{community}}”");
    expect(mail.html).toContain('lang="fr"');
    const link = /http:\/\/praxis\.test\/invitations\/\S+/.exec(mail.text ?? "")?.[0];
    expect(link).toBeTruthy();
    const preview = await praxis.request(
      "GET",
      new URL(link ?? "").pathname.replace("/invitations", "/api/v1/invitations"),
    );
    expect(preview.body).toMatchObject({
      community: "protection-sociale",
      email: "invitee@example.org",
    });
    expect(await praxis.mails()).toEqual([]);
  });
});
