import { createExponentialBackoffPolicy } from "@fedify/fedify";

/**
 * A partner instance may be down for a weekend: deliveries are retried for about 50 hours
 * (30 s doubling to a 6-hour ceiling, 17 attempts). 404 and 410 end a delivery at once
 * (Fedify's permanent failures), and Fedify's circuit breaker holds deliveries to a host
 * that keeps failing instead of hammering it.
 */
export const deliveryRetryPolicy = createExponentialBackoffPolicy({
  initialDelay: { seconds: 30 },
  maxDelay: { hours: 6 },
  maxAttempts: 17,
});
