import type { SharedFile } from "../api.ts";
import { useShell } from "../context.ts";
import { formatKilobytes } from "../format.ts";
import { ReportAction } from "./report-form.tsx";
import { shownVersion, TranslationLabel } from "./translation.tsx";

/**
 * One shared file as a community's files list shows it: its title in the reader's language
 * where someone translated it (saying whose version it is, with the original a link away),
 * its category and size, and the download.
 */
export function FileCard({ file }: { file: SharedFile }) {
  const { locale } = useShell();
  return (
    <li class="card">
      <a
        href={file.file?.url}
        download
        dir="auto"
        lang={file.translation?.language ?? file.language}
      >
        {shownVersion(file).title}
      </a>{" "}
      <span class="meta">
        <bdi>{file.file?.category}</bdi> · {formatKilobytes(locale, file.file?.size ?? 0)}
      </span>
      <TranslationLabel post={file} original={false} />
      <ReportAction target="files" id={file.id} />
    </li>
  );
}
