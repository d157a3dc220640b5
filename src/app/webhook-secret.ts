/**
 * The app refuses to start without a real webhook secret: Probot falls back to "development"
 * when WEBHOOK_SECRET is unset, which would let anyone forge a merge webhook.
 */
export type WebhookSecretResult =
  { readonly ok: true; readonly secret: string } | { readonly ok: false; readonly error: string };

export const MIN_SECRET_LENGTH = 16;

export function requireWebhookSecret(value: string | undefined): WebhookSecretResult {
  if (value === undefined || value.trim() === "")
    return {
      ok: false,
      error: "WEBHOOK_SECRET is not set: refusing to start (webhooks could be forged)",
    };
  if (value === "development")
    return {
      ok: false,
      error: 'WEBHOOK_SECRET is Probot\'s default "development": refusing to start',
    };
  if (value.length < MIN_SECRET_LENGTH)
    return {
      ok: false,
      error: `WEBHOOK_SECRET is shorter than ${String(MIN_SECRET_LENGTH)} characters: refusing to start`,
    };
  return { ok: true, secret: value };
}
