/**
 * A worker thread of parse-pool.ts: parses the record and receipt files it is sent with the
 * formats' own parsers (formats.ts) and posts the results back, in the order received. A receipt
 * file sent with its commit's message is first compared with the rendering of its trailers.
 */
import { parentPort } from "node:worker_threads";
import { FORMATS, receiptFileFromTrailers } from "./formats.ts";
import type { ParseJob, ParseResult } from "./parse-pool.ts";

parentPort?.on("message", (jobs: readonly ParseJob[]) => {
  const results = jobs.map((job): ParseResult =>
    job.kind === "record"
      ? { sha: job.sha, kind: "record", parsed: FORMATS.parseRecord(job.text) }
      : {
          sha: job.sha,
          kind: "receipt",
          parsed:
            (job.message === undefined
              ? undefined
              : receiptFileFromTrailers(job.message, job.sha)) ??
            FORMATS.parseReceiptFile(job.text),
        },
  );
  parentPort?.postMessage(results);
});
