// A real AT Protocol network (@atproto/dev-env: a PDS and a PLC directory) in
// its own process, as a deployment has it: the AppView under test talks to it
// over HTTP and WebSocket only, and a test can stop it with a signal without
// waiting on its timers and sockets. Prints one JSON line with the URLs, then
// runs until SIGTERM.
import { TestNetworkNoAppView } from "@atproto/dev-env";

const network = await TestNetworkNoAppView.create({});
process.stdout.write(`${JSON.stringify({ pdsUrl: network.pds.url, plcUrl: network.plc.url })}\n`);
process.once("SIGTERM", () => {
  void network.close().finally(() => process.exit(0));
});
