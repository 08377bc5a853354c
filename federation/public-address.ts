import { PUBLIC_COLLECTION } from "@fedify/vocab";

const addressingFields = new Set(["to", "cc", "bto", "bcc", "audience"]);
const shortForms = new Set(["as:Public", "Public"]);

/**
 * Fedify writes the public address in its compact form (`as:Public`) in documents it
 * serves; Lemmy refuses that form, so documents leave with the full URL.
 */
export function expandPublicAddress(value: unknown, key?: string): unknown {
  if (typeof value === "string") {
    return key && addressingFields.has(key) && shortForms.has(value)
      ? PUBLIC_COLLECTION.href
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => expandPublicAddress(item, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([field, item]) => [
        field,
        field === "@context" ? item : expandPublicAddress(item, field),
      ]),
    );
  }
  return value;
}
