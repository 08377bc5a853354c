import { useState } from "preact/hooks";
import { useShell } from "../context.ts";

/** What the server decodes (server/services/images.ts); anything else it refuses with a 415. */
const acceptedTypes = "image/jpeg,image/png,image/webp,image/gif,image/avif";

/**
 * An avatar's or a banner's upload as a plain multipart form posted to `action` (and its
 * removal to `action/remove`), so that it works without scripts; the server answers with a
 * redirect back, its refusal (not an image, too large, too many pixels) shown on the page.
 * With scripts, the chosen picture is previewed before it is sent.
 */
export function ImageUpload({
  id,
  action,
  current,
  labels,
  box,
}: {
  id: string;
  action: string;
  /** The stored image to show, or null when there is none yet. */
  current: string | null;
  labels: { title: string; hint: string; shown: string };
  /** The preview's size in CSS pixels, as the picture is shown elsewhere. */
  box: { class: string; width: number; height: number };
}) {
  const { t } = useShell();
  const [preview, setPreview] = useState<string | null>(null);
  const shown = preview ?? current;
  return (
    <form class="panel" method="post" action={action} enctype="multipart/form-data">
      <h2>{labels.title}</h2>
      <p class="hint">{labels.hint}</p>
      {shown ? (
        <img
          class={box.class}
          src={shown}
          width={box.width}
          height={box.height}
          alt={labels.shown}
        />
      ) : null}
      <label for={`${id}-file`}>{t("images.file")}</label>
      <input
        id={`${id}-file`}
        name="file"
        type="file"
        accept={acceptedTypes}
        required
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (!file) return setPreview(null);
          // A data: address, as the pages' policy allows images from (blob: it does not).
          const reader = new FileReader();
          reader.onload = () =>
            setPreview(typeof reader.result === "string" ? reader.result : null);
          reader.readAsDataURL(file);
        }}
      />
      <p class="row">
        <button type="submit">{t("images.upload")}</button>
        {current ? (
          <button
            type="submit"
            class="secondary"
            formAction={`${action}/remove`}
            formenctype="application/x-www-form-urlencoded"
            formNoValidate
          >
            {t("images.remove")}
          </button>
        ) : null}
      </p>
    </form>
  );
}
