/**
 * A response body read whole, or null as soon as it passes `limit` bytes: a declared length
 * over it is refused unread, and a body that grows past it is cancelled rather than buffered.
 * Each caller turns null into its own error.
 */
export async function readAtMost(response: Response, limit: number): Promise<Buffer | null> {
  if (Number(response.headers.get("content-length") ?? 0) > limit) {
    await response.body?.cancel();
    return null;
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader?.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, size);
}
