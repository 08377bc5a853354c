import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
);

describe("GET /api/v1/posts/:id answers every kind in full", () => {
  let praxis: TestInstance;
  let owner: Person;
  let outsider: Person;

  const upload = (fields: Record<string, string>) => {
    const form = new FormData();
    form.set("file", new Blob([pdf]), "Field guide.pdf");
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    return praxis.request("POST", "/api/v1/communities/clinic/files", {
      token: owner.token,
      body: form,
    });
  };

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("kind_owner");
    outsider = await praxis.signUp("kind_outsider");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "clinic", name: "Clinic", privacy: "open" },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => praxis.close());

  it("gives an event its UTC instants, its zone, its place and its online link", async () => {
    const published = await praxis.request("POST", "/api/v1/communities/clinic/events", {
      token: owner.token,
      body: {
        title: "Cash transfers clinic",
        content: "Bring your **questions**.",
        startsAt: "2027-03-10T14:00",
        endsAt: "2027-03-10T16:00",
        timezone: "Africa/Nairobi",
        location: "Room 4, UN Complex",
        onlineUrl: "https://meet.example.org/clinic",
        webinar: { slidesUrl: "https://example.org/slides.pdf" },
      },
    });
    expect(published.status).toBe(201);
    const answer = await praxis.request("GET", `/api/v1/posts/${published.body.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      kind: "event",
      title: "Cash transfers clinic",
      source: "Bring your **questions**.",
      startsAt: "2027-03-10T11:00:00.000Z",
      endsAt: "2027-03-10T13:00:00.000Z",
      timezone: "Africa/Nairobi",
      location: "Room 4, UN Complex",
      onlineUrl: "https://meet.example.org/clinic",
      webinar: true,
      slidesUrl: "https://example.org/slides.pdf",
      recordingUrl: null,
      going: 0,
      viewerRsvp: null,
    });
    // Whichever address is asked, an event reads the same.
    const asEvent = await praxis.request("GET", `/api/v1/events/${published.body.id}`);
    expect(answer.body).toEqual(asEvent.body);
  });

  it("gives a file its file fields", async () => {
    const shared = await upload({ title: "Field guide", category: "Guides" });
    expect(shared.status).toBe(201);
    const answer = await praxis.request("GET", `/api/v1/posts/${shared.body.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      kind: "file",
      title: "Field guide",
      file: {
        filename: "Field guide.pdf",
        mediaType: "application/pdf",
        size: pdf.byteLength,
        category: "Guides",
        private: false,
        downloads: 0,
      },
    });
    expect(answer.body.file.url).toBe(shared.body.file.url);
    const asFile = await praxis.request("GET", `/api/v1/files/${shared.body.id}`);
    expect(answer.body).toEqual(asFile.body);
  });

  it("still hides a members-only file from those outside the community", async () => {
    const shared = await upload({ title: "Members' notes", private: "true" });
    expect(shared.status).toBe(201);
    const hidden = await praxis.request("GET", `/api/v1/posts/${shared.body.id}`, {
      token: outsider.token,
    });
    expect(hidden.status).toBe(404);
    const mine = await praxis.request("GET", `/api/v1/posts/${shared.body.id}`, {
      token: owner.token,
    });
    expect(mine.body.file.private).toBe(true);
  });

  it("answers a discussion without the fields of other kinds", async () => {
    const thread = await praxis.request("POST", "/api/v1/communities/clinic/discussions", {
      token: owner.token,
      body: { title: "Targeting", content: "How do you target?" },
    });
    const answer = await praxis.request("GET", `/api/v1/posts/${thread.body.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe("discussion");
    expect(answer.body).not.toHaveProperty("startsAt");
    expect(answer.body).not.toHaveProperty("file");
  });
});
