// A TCP relay between the app and its PostgreSQL server, so a test can lose the database for
// real: cut() drops every open connection and refuses new ones (as a database restart or a
// failed-over host does); stall() forwards nothing either way while keeping every connection
// open (as a network partition does: packets vanish, nobody says so); restore() lets everything
// through again. Nothing is simulated above the socket: pg sees what such a server looks like.

import net from "node:net";

export type TcpRelay = {
  /** `url` (a postgres:// URL) with its host and port replaced by the relay's. */
  through(url: string): string;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
};

export async function startTcpRelay(
  targetPort: number,
  targetHost = "127.0.0.1",
): Promise<TcpRelay> {
  let cut = false;
  let stalled = false;
  const open = new Set<net.Socket>();
  const held = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    if (stalled) {
      // Accepted, never answered: the connection attempt waits for as long as the client does.
      held.add(client);
      client.pause();
      client.on("error", () => held.delete(client));
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    through(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    stall() {
      stalled = true;
      for (const socket of open) {
        socket.unpipe();
        socket.pause();
      }
    },
    restore() {
      cut = false;
      stalled = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...open, ...held]) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
