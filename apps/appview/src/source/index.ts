import type { Config } from "../config.ts";
import { identityFor } from "../identity.ts";
import type { Logger } from "../logger.ts";
import { FirehoseSource } from "./firehose.ts";
import { JetstreamSource } from "./jetstream.ts";
import type { EventSource } from "./source.ts";

export type { EventSource, SourceEvent } from "./source.ts";

/** The live source the configuration asks for (SOURCE=jetstream|firehose). */
export function createSource(config: Config, logger: Logger): EventSource {
  if (config.source === "firehose") {
    return new FirehoseSource({ url: config.firehoseUrl!, identity: identityFor(config), logger: logger.child({ part: "firehose" }) });
  }
  return new JetstreamSource({ url: config.jetstreamUrl, logger: logger.child({ part: "jetstream" }) });
}
