import { createRoute, z } from "@hono/zod-openapi";
import { imageUrlsOf } from "../services/images.ts";
import { setAvatar, setBanner } from "../services/profile-images.ts";
import { createRouter } from "./router.ts";
import {
  AvatarUrls,
  BannerUrls,
  ErrorBody,
  errorResponses,
  jsonResponse,
  RefParam,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";

const tags = ["Images"];

const imageUpload = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: z.object({
        file: z.instanceof(File).openapi({ type: "string", format: "binary" }),
      }),
    },
  },
} as const;

const refusals = { ...errorResponses, 415: jsonResponse(ErrorBody, "Not an image") };

const putAvatar = createRoute({
  method: "put",
  path: "/me/avatar",
  tags,
  summary: "Upload your avatar: JPEG, PNG, WebP, GIF or AVIF, cropped square and resized",
  description:
    "What the bytes are is decided by decoding them. Too large answers 413 (IMAGE_UPLOAD_LIMIT_MB), not an image 415, more than 50 megapixels 422. EXIF (camera, place) is not kept.",
  request: { body: imageUpload },
  responses: { 200: jsonResponse(AvatarUrls, "The stored sizes"), ...refusals },
});

const deleteAvatar = createRoute({
  method: "delete",
  path: "/me/avatar",
  tags,
  summary: "Remove your avatar",
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

const putBanner = createRoute({
  method: "put",
  path: "/communities/{ref}/banner",
  tags,
  summary: "Upload a community's banner (owners and admins), cropped to 4:1 and resized",
  description: "Refused as an avatar is: 413, 415 or 422.",
  request: { params: RefParam, body: imageUpload },
  responses: { 200: jsonResponse(BannerUrls, "The stored sizes"), ...refusals },
});

const deleteBanner = createRoute({
  method: "delete",
  path: "/communities/{ref}/banner",
  tags,
  summary: "Remove a community's banner (owners and admins)",
  request: { params: RefParam },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer());

export const imagesApi = createRouter()
  .openapi(putAvatar, async (c) => {
    const deps = c.get("deps");
    const account = await setAvatar(
      deps,
      requireAccount(c),
      await bytesOf(c.req.valid("form").file),
    );
    return c.json(imageUrlsOf(deps.config, "avatar", account.avatar), 200);
  })
  .openapi(deleteAvatar, async (c) => {
    await setAvatar(c.get("deps"), requireAccount(c), null);
    return c.body(null, 204);
  })
  .openapi(putBanner, async (c) => {
    const deps = c.get("deps");
    const { ref } = c.req.valid("param");
    const bytes = await bytesOf(c.req.valid("form").file);
    const view = await setBanner(deps, ref, requireAccount(c), bytes);
    return c.json(imageUrlsOf(deps.config, "banner", view.community.banner), 200);
  })
  .openapi(deleteBanner, async (c) => {
    await setBanner(c.get("deps"), c.req.valid("param").ref, requireAccount(c), null);
    return c.body(null, 204);
  });
