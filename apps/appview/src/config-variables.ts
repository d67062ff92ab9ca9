// The names of atbb's configuration variables, apart from their validation so
// that `atbb --help` can name them without loading the validators.

/** Variables that may instead be read from a file named by `<NAME>_FILE` (systemd credentials): the ones that may hold secrets. */
export const FILE_VARIABLES = [
  "DATABASE_URL",
  "FORUM_DID",
  "PDS_URL",
  "JETSTREAM_URL",
  "FIREHOSE_URL",
  "RELAY_URL",
  "FORUM_APP_PASSWORD",
  "OAUTH_KEY",
  "SESSION_SECRET",
] as const;
