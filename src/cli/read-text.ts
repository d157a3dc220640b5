import { open } from "node:fs/promises";
import type { Readable } from "node:stream";

export type ReadTextResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * Reads a file ("-" for the stream) as UTF-8, refusing more than `maxBytes`: the input is
 * untrusted, and an endless stream must not exhaust memory.
 */
export async function readText(
  file: string,
  stdin: Readable,
  maxBytes: number,
): Promise<ReadTextResult> {
  try {
    const bytes = file === "-" ? await readStream(stdin, maxBytes) : await readFile(file, maxBytes);
    if (bytes === undefined) {
      return { ok: false, message: `${label(file)} is larger than ${maxBytes} bytes` };
    }
    return { ok: true, text: new TextDecoder("utf-8", { fatal: false }).decode(bytes) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot read ${label(file)}: ${reason}` };
  }
}

function label(file: string): string {
  return file === "-" ? "standard input" : file;
}

async function readFile(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
      if (length > maxBytes) return undefined;
    }
  } finally {
    await handle.close();
  }
}

async function readStream(stream: Readable, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
    length += bytes.length;
    if (length > maxBytes) {
      stream.destroy();
      return undefined;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
