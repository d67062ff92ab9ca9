# Contributors: `devenv up` starts PostgreSQL and the AppView (migrate, then serve).
# For SQLite instead, create devenv.local.nix (git-ignored) with:
#
#   { lib, ... }: {
#     services.postgres.enable = lib.mkForce false;
#     env.DATABASE_URL = lib.mkForce "file:./data/atbb.db";
#   }
{
  pkgs,
  lib,
  config,
  ...
}:

let
  postgres = config.services.postgres;
in
{
  packages = [
    pkgs.pnpm_10
    pkgs.sqlite
  ];

  languages.javascript = {
    enable = true;
    package = pkgs.nodejs_24;
  };

  # initdb makes the developer's own login the cluster's superuser; the
  # AppView connects as `atbb`, an ordinary role that owns only its database,
  # as it would in production.
  services.postgres = {
    enable = lib.mkDefault true;
    listen_addresses = "127.0.0.1";
    initialDatabases = [
      {
        name = "atbb";
        user = "atbb";
        pass = "atbb";
      }
    ];
  };

  # devenv may move PostgreSQL off 5432 when the port is taken: take the port it chose.
  env.DATABASE_URL = lib.mkDefault "postgresql://atbb:atbb@${config.env.PGHOST}:${toString config.env.PGPORT}/atbb";

  processes.appview = {
    exec = "pnpm install --frozen-lockfile && pnpm atbb migrate && pnpm atbb serve";
    after = lib.optional postgres.enable "devenv:processes:postgres";
  };
}
