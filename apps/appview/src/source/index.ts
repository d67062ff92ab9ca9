import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { JetstreamSource } from "./jetstream.ts";
import type { EventSource } from "../events/index.ts";

export type { EventSource, SourceEvent } from "../events/index.ts";

/**
 * The live source the configuration asks for (SOURCE=jetstream|firehose).
 * The firehose and identity resolution are loaded only when asked for:
 * @atproto/sync and the identity clients take ~0.5 s and ~45 MB to load, and
 * Jetstream, the default, needs neither.
 */
export async function createSource(config: Config, logger: Logger): Promise<EventSource> {
  if (config.source === "firehose") {
    const [{ FirehoseSource }, { identityFor }] = await Promise.all([
      import("./firehose.ts"),
      import("../identity.ts"),
    ]);
    return new FirehoseSource({
      url: config.firehoseUrl!,
      identity: identityFor(config, logger),
      logger: logger.child({ part: "firehose" }),
    });
  }
  return new JetstreamSource({ url: config.jetstreamUrl, logger: logger.child({ part: "jetstream" }) });
}
