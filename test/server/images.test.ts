import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { type Peer, startPeer } from "../support/peer.ts";

/**
 * A photo as a phone takes it: stored on its side with an EXIF orientation (6: turn it a
 * quarter clockwise) and the camera's name and a GPS position. Its top half is red and its
 * bottom half blue, so that upright the red half is on the right.
 */
async function phonePhoto(): Promise<Buffer> {
  const [width, height] = [900, 600];
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const red = y < height / 2;
      pixels.set([red ? 220 : 30, (x * 13) % 40, red ? 30 : 220], (y * width + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: "PraxisTestCam", Model: "Field phone" },
      IFD3: {
        GPSLatitudeRef: "S",
        GPSLatitude: "1/1 17/1 0/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "36/1 49/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The colour of one pixel, as [red, green, blue]. */
async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const start = (y * info.width + x) * info.channels;
  return [...data.subarray(start, start + 3)];
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A few hundred bytes of PNG declaring a 30000×30000 canvas: 900 million pixels to decode. */
function decompressionBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30_000, 0);
  header.writeUInt32BE(30_000, 4);
  header[8] = 8; // bits per sample
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.alloc(30_001 * 16))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

const formOf = (bytes: Uint8Array, filename: string, type: string) => {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
};

/** Avatars and community banners, uploaded, resized and stripped (issue 17; issue 18's banner). */
describe("avatars and banners", () => {
  let praxis: Peer;
  let owner: Person;
  let member: Person;
  let photo: Buffer;

  const fetchImage = async (url: string) => {
    const answer = await fetch(url);
    return { answer, bytes: Buffer.from(await answer.arrayBuffer()) };
  };
  const putAvatar = (person: Person, form: FormData) =>
    praxis.request("PUT", "/api/v1/me/avatar", { token: person.token, body: form });
  const putBanner = (person: Person, form: FormData) =>
    praxis.request("PUT", "/api/v1/communities/field-notes/banner", {
      token: person.token,
      body: form,
    });
  const actorOf = async (name: string) => {
    const answer = await fetch(new URL(`/actors/${name}`, praxis.origin), {
      headers: { accept: "application/activity+json" },
    });
    expect(answer.status).toBe(200);
    return answer.json();
  };

  beforeAll(async () => {
    praxis = await startPeer("127.0.21.1", { IMAGE_UPLOAD_LIMIT_MB: "1" });
    owner = await praxis.signUp("banner_owner");
    member = await praxis.signUp("plain_member");
    const made = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "field-notes", name: "Field notes", privacy: "open" },
    });
    expect(made.status).toBe(201);
    const joined = await praxis.request("POST", "/api/v1/communities/field-notes/join", {
      token: member.token,
    });
    expect(joined.body.state).toBe("active");
    photo = await phonePhoto();
    const original = await sharp(photo).metadata();
    // The photo really carries what must not leave: the camera's name and a GPS block (0x8825).
    expect(original.exif?.includes(Buffer.from("PraxisTestCam"))).toBe(true);
    const gpsTag = original.exif?.subarray(0, 2).toString() === "MM" ? [0x88, 0x25] : [0x25, 0x88];
    expect(original.exif?.includes(Buffer.from(gpsTag))).toBe(true);
    expect(original.orientation).toBe(6);
  }, 120_000);
  afterAll(() => praxis?.stop());

  it("stores a photo's avatar in three square WebP sizes, upright, without its EXIF", async () => {
    const answer = await putAvatar(member, formOf(photo, "me.jpg", "image/jpeg"));
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(["256", "48", "96"]);
    for (const [name, url] of Object.entries(answer.body as Record<string, string>)) {
      const { answer: served, bytes } = await fetchImage(url);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/webp");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      const stored = await sharp(bytes).metadata();
      expect(stored.format).toBe("webp");
      expect([stored.width, stored.height]).toEqual([Number(name), Number(name)]);
      expect(stored.exif).toBeUndefined();
      expect(stored.orientation).toBeUndefined();
      expect(bytes.includes(Buffer.from("PraxisTestCam"))).toBe(false);
    }
    // Upright: the photo's top (red) is on the right, its bottom (blue) on the left.
    const { bytes: large } = await fetchImage(answer.body["256"]);
    const [right, left] = [await pixelAt(large, 220, 128), await pixelAt(large, 36, 128)];
    expect(right[0]).toBeGreaterThan(150);
    expect(right[2]).toBeLessThan(100);
    expect(left[2]).toBeGreaterThan(150);
    expect(left[0]).toBeLessThan(100);
    const me = await praxis.request("GET", "/api/v1/me", { token: member.token });
    expect(me.body.avatarUrl).toBe(answer.body["96"]);
    expect(me.body.avatarUrls).toEqual(answer.body);
    const members = await praxis.request("GET", "/api/v1/communities/field-notes/members");
    const listed = members.body.items.find(
      (item: { account: { username: string } }) => item.account.username === "plain_member",
    );
    expect(listed.account.avatarUrl).toBe(answer.body["96"]);
  });

  it("shows the avatar in post bylines", async () => {
    const posted = await praxis.request("POST", "/api/v1/communities/field-notes/discussions", {
      token: member.token,
      body: { title: "From the field", content: "Notes." },
    });
    expect(posted.status).toBe(201);
    const me = await praxis.request("GET", "/api/v1/me", { token: member.token });
    expect(posted.body.author.avatarUrl).toBe(me.body.avatarUrl);
    expect(posted.body.author.avatarUrls["48"]).toMatch(/\/images\/[0-9a-f-]+-48$/);
  });

  it("refuses text named .png and declared an image as not an image (415)", async () => {
    const text = new TextEncoder().encode("This is a shopping list, not a picture.\n");
    const answer = await putAvatar(owner, formOf(text, "avatar.png", "image/png"));
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe("not_an_image");
    expect(answer.body.error.message).toMatch(/not an image/);
    const me = await praxis.request("GET", "/api/v1/me", { token: owner.token });
    expect(me.body.avatarUrl).toBeNull();
  });

  it("refuses a picture Praxis does not decode, such as SVG, as not an image (415)", async () => {
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>',
    );
    const answer = await putAvatar(owner, formOf(svg, "logo.svg", "image/svg+xml"));
    expect(answer.status).toBe(415);
  });

  it("refuses an image over the configured size (413), in the person's language", async () => {
    const french = await praxis.signUp("lectrice", { locale: "fr" });
    const large = Buffer.concat([photo, Buffer.alloc(1024 * 1024)]);
    const answer = await putAvatar(french, formOf(large, "large.jpg", "image/jpeg"));
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe("image_too_large");
    expect(answer.body.error.message).toBe("L’image est trop lourde : 1 Mo au plus.");
  });

  it("refuses a decompression bomb from its header, quickly (422)", async () => {
    const bomb = decompressionBomb();
    expect(bomb.byteLength).toBeLessThan(2_000);
    const started = performance.now();
    const answer = await putAvatar(owner, formOf(bomb, "tiny.png", "image/png"));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("image_too_many_pixels");
    expect(answer.body.error.message).toMatch(/at most 50 megapixels/);
  });

  it("lets a community's owner set a 4:1 banner, in two sizes on its page", async () => {
    const answer = await putBanner(owner, formOf(photo, "banner.jpg", "image/jpeg"));
    expect(answer.status).toBe(200);
    const sizes = { "640x160": [640, 160], "1280x320": [1280, 320] };
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(sizes).sort());
    for (const [name, [width, height]] of Object.entries(sizes)) {
      const { bytes } = await fetchImage(answer.body[name]);
      const stored = await sharp(bytes).metadata();
      expect([stored.format, stored.width, stored.height]).toEqual(["webp", width, height]);
      expect(stored.exif).toBeUndefined();
    }
    const community = await praxis.request("GET", "/api/v1/communities/field-notes");
    expect(community.body.bannerUrl).toBe(answer.body["1280x320"]);
    expect(community.body.bannerUrls).toEqual(answer.body);
  });

  it("refuses a banner from a member who is not an admin (403), and keeps the old one", async () => {
    const before = await praxis.request("GET", "/api/v1/communities/field-notes");
    const answer = await putBanner(member, formOf(photo, "mine.jpg", "image/jpeg"));
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("admin_only");
    const removal = await praxis.request("DELETE", "/api/v1/communities/field-notes/banner", {
      token: member.token,
    });
    expect(removal.status).toBe(403);
    const after = await praxis.request("GET", "/api/v1/communities/field-notes");
    expect(after.body.bannerUrl).toBe(before.body.bannerUrl);
  });

  it("names the 256 px avatar as the Person's icon and the banner as the Group's image", async () => {
    const me = await praxis.request("GET", "/api/v1/me", { token: member.token });
    const person = await actorOf("plain_member");
    expect(person.icon).toMatchObject({ type: "Image", mediaType: "image/webp" });
    expect(person.icon.url).toBe(me.body.avatarUrls["256"]);
    const { answer, bytes } = await fetchImage(person.icon.url);
    expect(answer.status).toBe(200);
    expect((await sharp(bytes).metadata()).width).toBe(256);
    const community = await praxis.request("GET", "/api/v1/communities/field-notes");
    const group = await actorOf("field-notes");
    expect(group.image).toMatchObject({ type: "Image", mediaType: "image/webp" });
    expect(group.image.url).toBe(community.body.bannerUrls["1280x320"]);
    const owners = await actorOf("banner_owner");
    expect(owners.icon).toBeUndefined();
  });

  it("removes an avatar and a banner: the shapes say none and the old sizes are gone", async () => {
    const me = await praxis.request("GET", "/api/v1/me", { token: member.token });
    const removed = await praxis.request("DELETE", "/api/v1/me/avatar", { token: member.token });
    expect(removed.status).toBe(204);
    const after = await praxis.request("GET", "/api/v1/me", { token: member.token });
    expect([after.body.avatarUrl, after.body.avatarUrls]).toEqual([null, null]);
    expect((await fetch(me.body.avatarUrl)).status).toBe(404);
    expect((await actorOf("plain_member")).icon).toBeUndefined();

    const community = await praxis.request("GET", "/api/v1/communities/field-notes");
    const dropped = await praxis.request("DELETE", "/api/v1/communities/field-notes/banner", {
      token: owner.token,
    });
    expect(dropped.status).toBe(204);
    const without = await praxis.request("GET", "/api/v1/communities/field-notes");
    expect(without.body.bannerUrl).toBeNull();
    expect((await fetch(community.body.bannerUrl)).status).toBe(404);
  });

  it("replacing an avatar removes the sizes it replaced", async () => {
    const first = await putAvatar(owner, formOf(photo, "one.jpg", "image/jpeg"));
    const second = await putAvatar(owner, formOf(photo, "two.jpg", "image/jpeg"));
    expect(second.body["96"]).not.toBe(first.body["96"]);
    expect((await fetch(first.body["96"])).status).toBe(404);
    expect((await fetch(second.body["96"])).status).toBe(200);
  });

  it("serves under /images/ only resized sizes, never an uploaded file's key", async () => {
    for (const key of ["../secret_key", "0f0e4f0c-9a3c-4b8e-9d7c-6b1f2a3c4d5e", "nope"]) {
      expect((await fetch(new URL(`/images/${key}`, praxis.origin))).status).toBe(404);
    }
  });
});
