import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GitHubSimulator } from "./simulator.ts";

export interface RunningServer {
  /** The API base URL, e.g. http://127.0.0.1:38123 */
  readonly url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Serves the simulator over HTTP on loopback, through the same handler as `sim.fetch`. */
export async function startServer(
  sim: GitHubSimulator,
  opts: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const handler = sim.requestHandler;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === "string") headers.set(k, v);
          else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
        }
        const method = req.method ?? "GET";
        const request = new Request(`http://${host}${req.url ?? "/"}`, {
          method,
          headers,
          ...(method === "GET" || method === "HEAD" || body.length === 0 ? {} : { body }),
        });
        const response = await handler(request);
        const out: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          out[key] = value;
        });
        res.writeHead(response.status, out);
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `simulator error: ${(error as Error).message}` }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  sim.setBaseUrl(url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err === undefined) resolve();
          else reject(err);
        });
        server.closeAllConnections();
      }),
  };
}
