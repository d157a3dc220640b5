import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GitHubSimulator } from "./simulator.ts";

export interface RunningServer {
  /** The API base URL, e.g. http://127.0.0.1:38123 */
  readonly url: string;
  /** Stops listening and waits for webhook deliveries under way. */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ServerOptions {
  port?: number;
  host?: string;
  /**
   * Deliver queued webhooks after each request, as GitHub does on its own. Off by default: tests
   * decide when the app hears of a change with `sim.flushWebhooks()`.
   */
  deliverWebhooks?: boolean;
}

/** Serves the simulator over HTTP on loopback, through the same handler as `sim.fetch`. */
export async function startServer(
  sim: GitHubSimulator,
  opts: ServerOptions = {},
): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const handler = sim.requestHandler;
  // One delivery run at a time, so events go out in the order they happened.
  let delivering: Promise<void> = Promise.resolve();
  const deliver = () => {
    delivering = delivering.then(() => sim.flushWebhooks());
  };
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
        // GitHub Enterprise Server serves the REST API under /api/v3: clients configured with
        // GHE_HOST reach the simulator the same way.
        const path = (req.url ?? "/").replace(/^\/api\/v3(?=\/|$)/, "") || "/";
        const request = new Request(`http://${host}${path}`, {
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
        if (opts.deliverWebhooks === true) deliver();
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
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err === undefined) resolve();
          else reject(err);
        });
        server.closeAllConnections();
      });
      await delivering;
    },
  };
}
