/**
 * Validates webhook payloads against GitHub's published webhook schemas (trimmed into
 * webhook-schemas.trimmed.json by scripts/trim-github-openapi.ts). A payload that fails is a
 * simulator bug: the app under test must only ever see payloads GitHub could send.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { isObject, type JsonObject } from "../openapi/trim-spec.ts";
import { webhookKey } from "./trim-webhook-schemas.ts";

const DOC_ID = "github-webhooks";

let state: { doc: JsonObject; ajv: Ajv2020; cache: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof state> {
  if (state !== undefined) return state;
  const url = new URL("./webhook-schemas.trimmed.json", import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(url, "utf8"));
  if (!isObject(parsed) || !isObject(parsed.webhooks))
    throw new Error(`${url.pathname}: not OpenAPI`);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  for (const name of ["int32", "int64", "double", "repo.nwo", "binary", "timestamp"])
    ajv.addFormat(name, true);
  // GitHub's own payloads carry bot addresses such as `41898282+github-actions[bot]@users.noreply.github.com`
  // (push pusher and commit authors), which the strict RFC `email` format refuses: accept an
  // address with brackets in its local part, nothing looser.
  ajv.addFormat("email", /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~[\]-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/);
  ajv.addSchema(parsed, DOC_ID, undefined, false);
  state = { doc: parsed, ajv, cache: new Map() };
  return state;
}

/** The event/action keys (`pull-request-closed`, ...) this simulator can send. */
export function knownWebhooks(): string[] {
  const { doc } = load();
  return isObject(doc.webhooks) ? Object.keys(doc.webhooks) : [];
}

/** [] when `payload` is what GitHub could send as `event` (its action read from the payload). */
export function validateWebhookPayload(event: string, payload: unknown): string[] {
  const loaded = load();
  const action =
    isObject(payload) && typeof payload.action === "string" ? payload.action : undefined;
  const key = webhookKey(event, action);
  const webhooks = isObject(loaded.doc.webhooks) ? loaded.doc.webhooks : {};
  if (webhooks[key] === undefined)
    return [`no GitHub webhook schema for event "${event}" action "${action ?? "(none)"}"`];
  let validate = loaded.cache.get(key);
  if (validate === undefined) {
    const pointer = `#/webhooks/${key}/post/requestBody/content/application~1json/schema`;
    validate = loaded.ajv.compile({ $ref: `${DOC_ID}${pointer}` });
    loaded.cache.set(key, validate);
  }
  if (validate(payload)) return reviewStateProblems(event, payload);
  return (validate.errors ?? []).map(
    (e) =>
      `${key}: ${e.instancePath === "" ? "(root)" : e.instancePath} ${e.message ?? "is invalid"}`,
  );
}

const WEBHOOK_REVIEW_STATES = ["approved", "changes_requested", "commented", "dismissed"];

/**
 * GitHub's schema leaves `review.state` of pull_request_review.submitted a free string, but
 * webhooks carry it lowercase while the REST API says APPROVED: hold the simulator to that so
 * the app cannot pass tests by comparing against only one spelling.
 */
function reviewStateProblems(event: string, payload: unknown): string[] {
  if (event !== "pull_request_review" || !isObject(payload) || !isObject(payload.review)) return [];
  const state = payload.review.state;
  if (typeof state === "string" && WEBHOOK_REVIEW_STATES.includes(state)) return [];
  return [
    `${event}: /review/state must be one of ${WEBHOOK_REVIEW_STATES.join(", ")} (lowercase in webhooks)`,
  ];
}
