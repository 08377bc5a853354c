import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex } from "node:stream";
import { createSecureContext, TLSSocket } from "node:tls";
import { promisify } from "node:util";
import { freePort } from "../../db/embedded.ts";
import { readMailbox, requester, signUpWith } from "../support/client.ts";
import type { Peer } from "../support/peer.ts";
import { startPraxis, waitForExit } from "../support/process.ts";

/** A self-signed certificate for one IP address, made by the machine's openssl. */
async function selfSignedCertificate(address: string, folder: string) {
  const key = join(folder, "key.pem");
  const cert = join(folder, "cert.pem");
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    `/CN=${address}`,
    "-addext",
    `subjectAltName=IP:${address}`,
  ]);
  return { key: await readFile(key), cert: await readFile(cert) };
}

/**
 * One port that speaks both plain HTTP and TLS, passing either on to `target` as plain HTTP.
 * GoToSocial looks handles up over https only (internal/transport/finger.go builds
 * "https://" + domain + "/.well-known/webfinger") while every other request follows the
 * ids, which are http here; a TLS handshake starts with byte 0x16, plain HTTP never does.
 */
async function startHttpAndTlsPort(
  address: string,
  port: number,
  target: number,
  tls: { key: Buffer; cert: Buffer },
): Promise<Server> {
  const secureContext = createSecureContext(tls);
  const forward = (from: Duplex, first?: Buffer) => {
    const to = createConnection({ host: address, port: target });
    if (first) to.write(first);
    from.pipe(to).pipe(from);
    const end = () => {
      from.destroy();
      to.destroy();
    };
    for (const stream of [from, to]) {
      stream.on("error", end);
      stream.on("close", end);
    }
  };
  const server = createServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.once("data", (first: Buffer) => {
      socket.pause();
      if (first[0] !== 0x16) return forward(socket, first);
      // The TLS layer must see the bytes already read, so it gets a stream that replays them.
      const replay = new Duplex({
        read: () => socket.resume(),
        write: (chunk, encoding, done) => socket.write(chunk, encoding, done),
        final: (done) => socket.end(done),
      });
      replay.push(first);
      socket.on("data", (chunk) => {
        if (!replay.push(chunk)) socket.pause();
      });
      socket.on("end", () => replay.push(null));
      socket.on("close", () => replay.destroy());
      const secure = new TLSSocket(replay, { isServer: true, secureContext });
      forward(secure);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, address, done);
  });
  return server;
}

/** A Praxis peer (as startPeer makes) whose public port also answers https. */
export async function startPeerWithHttps(
  address: string,
  env: Record<string, string> = {},
): Promise<Peer> {
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-peer-"));
  const publicPort = await freePort(address);
  let innerPort = await freePort(address);
  while (innerPort === publicPort) innerPort = await freePort(address);
  const origin = `http://${address}:${publicPort}`;
  const praxis = await startPraxis({
    HOST: address,
    PORT: String(innerPort),
    PUBLIC_URL: origin,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_ADDRESSES: "true",
    LOG_LEVEL: process.env.PEER_LOG_LEVEL ?? "warning",
    ...env,
  });
  const front = await startHttpAndTlsPort(
    address,
    publicPort,
    innerPort,
    await selfSignedCertificate(address, dataDir),
  );
  const request = requester(origin, (req) => fetch(req));
  return {
    host: `${address}:${publicPort}`,
    origin,
    praxis,
    request,
    signUp: (username, extra) => signUpWith(request, username, extra),
    mails: () => readMailbox(dataDir),
    async stop() {
      front.close();
      if (praxis.running() && praxis.child.pid) {
        process.kill(-praxis.child.pid, "SIGTERM");
        await waitForExit(praxis, 20_000);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
