import { timestamp } from "drizzle-orm/pg-core";

/**
 * A point in time kept at millisecond precision, the precision of a JavaScript Date:
 * a value read back and sent again (as in a pagination cursor) compares equal to the row.
 */
export const instant = () => timestamp({ withTimezone: true, precision: 3 });
