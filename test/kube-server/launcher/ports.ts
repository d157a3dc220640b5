import { createServer } from "node:net";
import { KubeServerError } from "./kube-server-error.ts";

/** Asks the OS for a free loopback port (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolvePromise(port);
      });
    });
  });
}

/** Fails with a clear message when a requested port is already taken. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new KubeServerError(
          `Port ${port} (${what}) on 127.0.0.1 is in use (${err.code ?? err.message}).`,
          `stop what listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or omit the port option so a free one is picked`,
          { cause: err },
        ),
      );
    });
    server.listen(port, "127.0.0.1", () => {
      server.close(() => {
        resolvePromise();
      });
    });
  });
}
